package io.github.vaultk8strust.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Declare a Kubernetes service account; its namespace is created when missing. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
public @interface K8sServiceAccount {

    /** Name the namespace. */
    String namespace() default VaultK8sTrust.SEED_NAMESPACE;

    /** Name the service account. */
    String name();
}
