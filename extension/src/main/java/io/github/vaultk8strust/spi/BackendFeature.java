package io.github.vaultk8strust.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** What a backend can do beyond the trust flow, which every backend supports. */
@API(status = EXPERIMENTAL, since = "0.1")
public enum BackendFeature {
    /** It runs pods (a kubelet), so workloads with projected tokens can log in from inside the cluster. */
    PODS
}
