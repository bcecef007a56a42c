package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
/** A Kubernetes service account. */
@API(status = EXPERIMENTAL, since = "0.1")
public record ServiceAccountSpec(String namespace, String name) {

    /** Return the token subject of this service account. */
    public String subject() {
        return "system:serviceaccount:" + namespace + ":" + name;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
