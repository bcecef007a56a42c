package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/** Declare a Vault ACL policy, given inline or as a classpath resource (exactly one of the two). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface VaultPolicy {

    /** Name the policy. */
    String name();

    /** Give the policy's HCL inline. */
    String hcl() default "";

    /** Give the policy's HCL as a classpath resource, e.g. {@code policies/reader.hcl}. */
    String resource() default "";
}
