package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/** Declare a Kubernetes service account; its namespace is created when missing. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface K8sServiceAccount {

    /** Name the namespace. */
    String namespace() default VaultK8sTrust.SEED_NAMESPACE;

    /** Name the service account. */
    String name();
}
