package io.github.vaultk8strust.samples;

import java.net.URI;
import java.util.Map;
import org.springframework.vault.authentication.ClientAuthentication;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.VaultKeyValueOperations;
import org.springframework.vault.core.VaultKeyValueOperationsSupport.KeyValueBackend;
import org.springframework.vault.core.VaultTemplate;
import org.springframework.vault.support.VaultResponse;

/**
 * An application-style component, as a team would write it with Spring Vault: it knows Vault's address, how to log
 * in ({@link ClientAuthentication}), and the KV mount; it knows nothing about this library or about tests.
 */
final class SecretsApplication {

    private final VaultKeyValueOperations kv;

    SecretsApplication(String vaultAddress, ClientAuthentication authentication, String kvMount) {
        VaultTemplate template = new VaultTemplate(VaultEndpoint.from(URI.create(vaultAddress)), authentication);
        this.kv = template.opsForKeyValue(kvMount, KeyValueBackend.KV_2);
    }

    /** Return the secret's data; throws Spring Vault's {@code VaultException} when Vault refuses. */
    Map<String, Object> secret(String path) {
        VaultResponse response = kv.get(path);
        return response == null ? null : response.getData();
    }
}
