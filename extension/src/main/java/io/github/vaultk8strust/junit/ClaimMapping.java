package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Copy a token claim into the Vault token's metadata, one entry of a {@link JwtRole#claimMappings()} map (Vault's
 * {@code claim_mappings}); {@code auth/token/lookup-self} shows it under {@code meta}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface ClaimMapping {

    /** Name the claim: a top-level claim or a JSON pointer such as {@code /kubernetes.io/serviceaccount/name}. */
    String claim();

    /** Name the metadata key it becomes, e.g. {@code service_account}; Vault reserves {@code role}. */
    String metadata();
}
