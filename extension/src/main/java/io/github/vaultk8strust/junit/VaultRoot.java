package io.github.vaultk8strust.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import io.github.vaultk8strust.VaultSession;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Inject a Vault client holding the root token: a {@code io.github.jopenlibs.vault.Vault} (KV version 2 paths,
 * like {@code vault kv}) or a {@link VaultSession}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.PARAMETER, ElementType.FIELD})
@API(status = EXPERIMENTAL, since = "0.1")
public @interface VaultRoot {
}
