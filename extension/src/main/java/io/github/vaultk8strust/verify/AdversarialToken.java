package io.github.vaultk8strust.verify;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One token that Vault must reject, with the reason it is expected to give. Made by {@link AdversarialTokens}.
 * {@link #toString()} never prints the token itself.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class AdversarialToken {

    private final String name;
    private final String description;
    private final String jwt;
    private final String expectedError;

    /**
     * @param name short name, e.g. {@code wrong audience}
     * @param description how the token was made
     * @param jwt the compact token sent to {@code auth/<path>/login}
     * @param expectedError a fragment of Vault's error, e.g. {@code invalid audience (aud) claim}
     */
    public AdversarialToken(String name, String description, String jwt, String expectedError) {
        this.name = Objects.requireNonNull(name, "name");
        this.description = Objects.requireNonNull(description, "description");
        this.jwt = Objects.requireNonNull(jwt, "jwt");
        this.expectedError = Objects.requireNonNull(expectedError, "expectedError");
    }

    /** Return the short name, e.g. {@code expired}. */
    public String name() {
        return name;
    }

    /** Return how the token was made, e.g. {@code signed with the cluster's key, exp one hour ago}. */
    public String description() {
        return description;
    }

    /** Return the compact token. */
    public String jwt() {
        return jwt;
    }

    /** Return the fragment Vault's error must contain, e.g. {@code token is expired}. */
    public String expectedError() {
        return expectedError;
    }

    @Override
    public String toString() {
        return "AdversarialToken[" + name + ": " + description + "; expect \"" + expectedError + "\"]";
    }
}
