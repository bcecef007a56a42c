package io.github.vaultk8strust;

/** A Kubernetes service account. */
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
