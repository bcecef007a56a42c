package io.github.vaultk8strust;

import io.github.vaultk8strust.junit.VaultK8sTrust;
/** Name where the cluster and Vault of a {@link VaultK8sTrust} environment run. */
public enum Backend {
    /** Defer to the configuration parameter {@link VaultK8sTrust#BACKEND_KEY}, then {@link #AUTO}. */
    DEFAULT,
    /** Use {@link #K3S} where a Docker engine answers, otherwise {@link #LOCAL}. */
    AUTO,
    /** Run etcd, kube-apiserver and Vault (or OpenBao) as local processes on 127.0.0.1; no Docker, no pods. */
    LOCAL,
    /** Run a k3s cluster in a container (Testcontainers) with Vault deployed inside it. */
    K3S
}
