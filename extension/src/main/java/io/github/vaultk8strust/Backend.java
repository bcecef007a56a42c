package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** Name where the cluster and Vault of a {@code @VaultK8sTrust} environment run. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Backend {
    /** Defer to the configuration parameter {@link ConfigKeys#BACKEND_KEY}, then {@link #AUTO}. */
    DEFAULT,
    /** Pick by need: {@link #K3S} when the tests need pods; otherwise {@link #LOCAL} when its server binaries can be had; otherwise {@link #K3S} when a Docker engine answers. */
    AUTO,
    /** Run etcd, kube-apiserver and Vault (or OpenBao) as local processes on 127.0.0.1; no Docker, no pods. */
    LOCAL,
    /** Run a k3s cluster in a container (Testcontainers) with Vault deployed inside it. */
    K3S
}
