package io.github.vaultk8strust.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.github.vaultk8strust.AuthMethod;
import io.github.vaultk8strust.Backend;
import io.github.vaultk8strust.TokenReviewer;
import io.github.vaultk8strust.TrustEnvironment;
import io.github.vaultk8strust.VaultLoginException;
import io.github.vaultk8strust.VaultSession;
import io.github.vaultk8strust.junit.K8sServiceAccount;
import io.github.vaultk8strust.junit.KubeAdmin;
import io.github.vaultk8strust.junit.KubernetesRole;
import io.github.vaultk8strust.junit.VaultK8sTrust;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Who calls TokenReview for the kubernetes auth method, and what a login says when that caller lacks the right. */
class KubernetesTokenReviewerTest {

    /**
     * A private environment (the test removes the reviewer's binding): the reviewer service account without
     * {@code system:auth-delegator} makes every login fail, and the message names the missing binding.
     */
    @Nested
    @VaultK8sTrust(backend = Backend.LOCAL, authMethods = AuthMethod.KUBERNETES, shared = false)
    class ReviewerServiceAccount {

        @Test
        void reviewerLackingAuthDelegatorFailsTheLoginNamingTheMissingBinding(TrustEnvironment environment,
                                                                             @KubeAdmin KubernetesClient kube) {
            try (VaultSession session = environment.login("k8s-dev")) { // kubernetes is the only method: seed role k8s-dev
                assertThat(session.policies()).contains("k8s-dev-writer");
            }
            assertThat(kube.rbac().clusterRoleBindings().withName(TokenReviewer.REVIEWER_BINDING).get().getRoleRef()
                    .getName()).isEqualTo("system:auth-delegator");

            kube.rbac().clusterRoleBindings().withName(TokenReviewer.REVIEWER_BINDING).delete();
            kube.rbac().clusterRoleBindings().withName(TokenReviewer.REVIEWER_BINDING)
                    .waitUntilCondition(java.util.Objects::isNull, 10, TimeUnit.SECONDS);

            VaultLoginException e = catchThrowableOfType(VaultLoginException.class,
                    () -> environment.login("k8s-dev"));
            assertThat(e.vaultErrors()).containsExactly("permission denied");
            assertThat(e.mismatches()).containsExactly("the token reviewer system:serviceaccount:vault-k8s-trust-system:"
                    + "vault-token-reviewer may not create tokenreviews.authentication.k8s.io: missing "
                    + "ClusterRoleBinding vault-k8s-trust-token-reviewer of ClusterRole system:auth-delegator to "
                    + "system:serviceaccount:vault-k8s-trust-system:vault-token-reviewer");
            assertThat(e.getMessage()).contains("TokenReview: authenticated as system:serviceaccount:default:vault-writer");
        }
    }

    /**
     * "Client's own token" mode: no reviewer JWT; each service account that logs in reviews itself. The roles'
     * service accounts are bound to {@code system:auth-delegator}; one that is not cannot log in.
     */
    @Nested
    @VaultK8sTrust(backend = Backend.LOCAL, authMethods = AuthMethod.KUBERNETES,
            tokenReviewer = TokenReviewer.CLIENT_TOKEN,
            kubernetesRoles = @KubernetesRole(name = "anyone-in-default", boundServiceAccountNames = "*",
                    boundServiceAccountNamespaces = "default", policies = "k8s-dev-writer"),
            serviceAccounts = @K8sServiceAccount(namespace = "default", name = "not-a-reviewer"))
    class ClientToken {

        @Test
        void boundServiceAccountReviewsItsOwnToken(TrustEnvironment environment, @KubeAdmin KubernetesClient kube) {
            try (VaultSession session = environment.login("k8s-dev")) {
                assertThat(session.policies()).contains("k8s-dev-writer");
            }
            assertThat(kube.rbac().clusterRoleBindings().withName(TokenReviewer.CLIENT_BINDING).get().getSubjects())
                    .extracting(s -> s.getNamespace() + "/" + s.getName()).containsExactly("default/vault-writer");
            assertThat(kube.serviceAccounts().inNamespace(TokenReviewer.REVIEWER_NAMESPACE)
                    .withName(TokenReviewer.REVIEWER_NAME).get()).isNull();
        }

        @Test
        void serviceAccountWithoutAuthDelegatorCannotLogInAndTheMessageSaysWhy(TrustEnvironment environment) {
            // Both audiences: the role's, and the API server's, since Vault reviews the token with itself.
            String jwt = environment.mintToken("default", "not-a-reviewer",
                    java.util.List.of("vault-dev", environment.issuer()), 3600).raw();
            VaultLoginException e = catchThrowableOfType(VaultLoginException.class,
                    () -> environment.login("anyone-in-default", jwt));
            assertThat(e.vaultErrors()).containsExactly("permission denied");
            assertThat(e.mismatches()).containsExactly("the token reviewer system:serviceaccount:default:not-a-reviewer "
                    + "may not create tokenreviews.authentication.k8s.io: missing ClusterRoleBinding "
                    + "vault-k8s-trust-client-token-reviewers of ClusterRole system:auth-delegator to "
                    + "system:serviceaccount:default:not-a-reviewer");
        }

        @Test
        void tokenWithoutTheApiServersAudienceCannotReviewItself(TrustEnvironment environment) {
            String jwt = environment.mintToken("default", "vault-writer", "vault-dev").raw();
            VaultLoginException e = catchThrowableOfType(VaultLoginException.class,
                    () -> environment.login("k8s-dev", jwt));
            assertThat(e.vaultErrors()).containsExactly("permission denied");
            assertThat(e.mismatches()).singleElement().asString().startsWith("client-token mode: Vault calls "
                    + "TokenReview with this token itself, and the API server does not accept it as a credential "
                    + "(aud [vault-dev] lacks the API server's audience");
        }
    }
}
