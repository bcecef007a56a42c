package io.github.vaultk8strust;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Say whose credentials Vault's {@code kubernetes} auth method uses to call the API server's TokenReview. Either
 * way the caller of TokenReview needs ClusterRole {@code system:auth-delegator}.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum TokenReviewer {
    /** Defer to {@link ConfigKeys#TOKEN_REVIEWER_KEY}, then {@link #REVIEWER_SERVICE_ACCOUNT}. */
    DEFAULT,
    /**
     * A dedicated service account ({@value #REVIEWER_NAMESPACE}/{@value #REVIEWER_NAME}) bound to
     * {@code system:auth-delegator} by ClusterRoleBinding {@value #REVIEWER_BINDING}; its token is written to
     * {@code auth/<path>/config} as {@code token_reviewer_jwt}.
     */
    REVIEWER_SERVICE_ACCOUNT,
    /**
     * No {@code token_reviewer_jwt} (and {@code disable_local_ca_jwt=true}): Vault reviews each login token with that
     * token itself, so every service account that logs in needs {@code system:auth-delegator}; the environment binds
     * the service accounts its kubernetes roles name, through ClusterRoleBinding {@value #CLIENT_BINDING}.
     */
    CLIENT_TOKEN;

    /** The reviewer service account's namespace. */
    public static final String REVIEWER_NAMESPACE = "vault-k8s-trust-system";
    /** The reviewer service account's name. */
    public static final String REVIEWER_NAME = "vault-token-reviewer";
    /** The ClusterRoleBinding of the reviewer service account to {@code system:auth-delegator}. */
    public static final String REVIEWER_BINDING = "vault-k8s-trust-token-reviewer";
    /** The ClusterRoleBinding of the logging-in service accounts to {@code system:auth-delegator} ({@link #CLIENT_TOKEN}). */
    public static final String CLIENT_BINDING = "vault-k8s-trust-client-token-reviewers";
    /** The ClusterRole whose {@code create} on {@code tokenreviews} a reviewer needs. */
    public static final String AUTH_DELEGATOR = "system:auth-delegator";
}
