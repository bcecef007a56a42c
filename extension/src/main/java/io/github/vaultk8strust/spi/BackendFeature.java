package io.github.vaultk8strust.spi;

/** What a backend can do beyond the trust flow, which every backend supports. */
public enum BackendFeature {
    /** It runs pods (a kubelet), so workloads with projected tokens can log in from inside the cluster. */
    PODS
}
