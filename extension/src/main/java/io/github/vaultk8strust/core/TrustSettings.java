package io.github.vaultk8strust.core;

import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.PolicySpec;
import io.github.vaultk8strust.RoleSpec;
import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.VaultMode;
import io.github.vaultk8strust.backend.local.ServerBinary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resolved, validated configuration of one environment. Immutable; also the key under which environments
 * are shared, so two test classes with equal settings share one environment.
 */
public record TrustSettings(
        Backend backend,
        VaultMode vaultMode,
        Duration startupTimeout,
        String kvPath,
        String authPath,
        String defaultRole,
        List<RoleSpec> roles,
        List<PolicySpec> policies,
        List<ServiceAccountSpec> serviceAccounts,
        List<String> namespaces,
        LocalOptions local,
        K3sOptions k3s) {

    public TrustSettings {
        roles = List.copyOf(roles);
        policies = List.copyOf(policies);
        serviceAccounts = List.copyOf(serviceAccounts);
        namespaces = List.copyOf(namespaces);
    }

    /** Return the role with this name. */
    public Optional<RoleSpec> role(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }




    /** What a k3s-only feature does on the local backend. */
    public enum K3sOnlyPolicy {
        /** Abort the test: it is reported skipped with the reason. */
        SKIP,
        /** Fail with an error that says why and how to switch backends. */
        FAIL
    }

    /**
     * The k3s backend's images, and what k3s-only features do elsewhere.
     *
     * @param k3sImage the k3s image, as given (Testcontainers' image substitution applies when pulling)
     * @param vaultImage the Vault or OpenBao image deployed in the cluster
     * @param systemImages k3s's own images to side-load; empty for none
     * @param k3sOnly what a k3s-only feature does on the local backend
     * @param privileged run the k3s container privileged ({@code vaultk8s.k3s.privileged}, default true)
     */
    public record K3sOptions(String k3sImage, String vaultImage, List<String> systemImages, K3sOnlyPolicy k3sOnly,
                             boolean privileged) {

        public K3sOptions {
            systemImages = List.copyOf(systemImages);
        }

        /** Privileged, the default. */
        public K3sOptions(String k3sImage, String vaultImage, List<String> systemImages, K3sOnlyPolicy k3sOnly) {
            this(k3sImage, vaultImage, systemImages, k3sOnly, true);
        }
    }

    /** Where the local backend finds its server binaries. */
    public record LocalOptions(Map<ServerBinary, Path> explicitBinaries, Path cacheDir, boolean download,
                               boolean build) {

        public LocalOptions {
            explicitBinaries = Map.copyOf(explicitBinaries);
        }
    }
}
