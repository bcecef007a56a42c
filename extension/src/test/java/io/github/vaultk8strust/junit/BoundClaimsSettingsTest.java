package io.github.vaultk8strust.junit;

import io.github.vaultk8strust.ServiceAccountSpec;
import io.github.vaultk8strust.core.TrustSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.vaultk8strust.BoundClaimsType;
import io.github.vaultk8strust.RoleSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** {@code @JwtRole(boundClaims, boundClaimsType, claimMappings)}: resolution and misuse messages. */
class BoundClaimsSettingsTest {

    private static TrustSettings resolve(Class<?> fixture) {
        return VaultK8sTrustExtension.resolve(fixture.getAnnotation(VaultK8sTrust.class), false, key -> Optional.empty(), key -> null, BoundClaimsSettingsTest.class.getClassLoader());
    }

    private static String misuse(Class<?> fixture) {
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> resolve(fixture));
        assertThat(thrown).isInstanceOf(ExtensionConfigurationException.class);
        return thrown.getMessage();
    }

    @VaultK8sTrust(policies = @io.github.vaultk8strust.junit.VaultPolicy(name = "payments", hcl = "path \"x\" {}"),
            roles = @JwtRole(name = "payments",
                    boundClaims = {
                            @Claim(name = "/kubernetes.io/namespace", value = "payments-*"),
                            @Claim(name = "/kubernetes.io/serviceaccount/name", value = {"api", "worker"})},
                    boundClaimsType = BoundClaimsType.GLOB,
                    claimMappings = {
                            @ClaimMapping(claim = "/kubernetes.io/serviceaccount/name", metadata = "service_account"),
                            @ClaimMapping(claim = "/kubernetes.io/namespace", metadata = "namespace")},
                    policies = "payments"))
    static class ClaimsRole {
    }

    @Test
    void claimsRoleNeedsNoSubject() {
        RoleSpec role = resolve(ClaimsRole.class).role("payments").orElseThrow();

        assertThat(role.boundSubject()).isEmpty();
        assertThat(role.boundServiceAccount()).isEmpty();
        assertThat(role.boundClaims()).containsExactly(
                Map.entry("/kubernetes.io/namespace", List.of("payments-*")),
                Map.entry("/kubernetes.io/serviceaccount/name", List.of("api", "worker")));
        assertThat(role.boundClaimsType()).isEqualTo("glob");
        assertThat(role.claimMappings()).containsExactly(
                Map.entry("/kubernetes.io/serviceaccount/name", "service_account"),
                Map.entry("/kubernetes.io/namespace", "namespace"));
    }

    @Test
    void theSeedRoleBindsNoClaims() {
        RoleSpec seed = resolve(ClaimsRole.class).role("k8s-dev").orElseThrow();

        assertThat(seed.boundClaims()).isEmpty();
        assertThat(seed.boundClaimsType()).isEqualTo("string");
        assertThat(seed.claimMappings()).isEmpty();
    }

    @VaultK8sTrust(roles = @JwtRole(name = "nothing"))
    static class NeitherSubjectNorClaims {
    }

    @Test
    void aRoleMustBindASubjectOrClaims() {
        assertThat(misuse(NeitherSubjectNorClaims.class)).isEqualTo("@JwtRole(name = \"nothing\"): "
                + "boundSubject = \"\" is empty and no boundClaims are given; a jwt role must bind the subject, e.g. "
                + "boundSubject \"system:serviceaccount:<namespace>:<service-account>\", or claims, e.g. boundClaims "
                + "with claim \"/kubernetes.io/namespace\" and value \"payments\"");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:a:b",
            boundClaimsType = BoundClaimsType.GLOB))
    static class GlobWithoutClaims {
    }

    @Test
    void globWithoutClaimsIsRefused() {
        assertThat(misuse(GlobWithoutClaims.class)).contains("boundClaimsType = GLOB but no boundClaims are given");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = @Claim(name = "/kubernetes.io//namespace", value = "a")))
    static class EmptyPointerSegment {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = @Claim(name = "/kubernetes.io/", value = "a")))
    static class TrailingSlash {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = @Claim(name = " ", value = "a")))
    static class BlankClaim {
    }

    @Test
    void claimNamesMustBeClaimsOrJsonPointers() {
        assertThat(misuse(EmptyPointerSegment.class)).isEqualTo("@JwtRole(name = \"r\"): boundClaims = "
                + "@Claim(name = \"/kubernetes.io//namespace\"): name = \"/kubernetes.io//namespace\" is not a claim: "
                + "give a top-level claim such as \"sub\", or a JSON pointer without empty segments such as "
                + "\"/kubernetes.io/namespace\"");
        assertThat(misuse(TrailingSlash.class)).contains("name = \"/kubernetes.io/\" is not a claim");
        assertThat(misuse(BlankClaim.class)).contains("name = \" \" is not a claim");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = @Claim(name = "/kubernetes.io/namespace", value = {})))
    static class NoValues {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = @Claim(name = "/kubernetes.io/namespace", value = "")))
    static class EmptyValue {
    }

    @Test
    void claimsNeedNonEmptyValues() {
        assertThat(misuse(NoValues.class)).contains("@Claim(name = \"/kubernetes.io/namespace\"): value = {} must list "
                + "at least one non-empty value");
        assertThat(misuse(EmptyValue.class)).contains("value = {\"\"} must list at least one non-empty value");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundClaims = {
            @Claim(name = "/kubernetes.io/namespace", value = "a"),
            @Claim(name = "/kubernetes.io/namespace", value = "b")}))
    static class DuplicateClaim {
    }

    @Test
    void aClaimIsBoundOnce() {
        assertThat(misuse(DuplicateClaim.class)).contains("@Claim(name = \"/kubernetes.io/namespace\") is declared "
                + "twice; list all accepted values in one @Claim");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:a:b",
            claimMappings = @ClaimMapping(claim = "/kubernetes.io/namespace", metadata = "role")))
    static class ReservedMetadata {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:a:b", claimMappings = {
            @ClaimMapping(claim = "/kubernetes.io/namespace", metadata = "who"),
            @ClaimMapping(claim = "sub", metadata = "who")}))
    static class TwoMappingsOneKey {
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:a:b",
            claimMappings = @ClaimMapping(claim = "sub", metadata = "")))
    static class EmptyMetadata {
    }

    @Test
    void claimMappingsAreValidated() {
        assertThat(misuse(ReservedMetadata.class)).contains("Vault reserves the metadata key \"role\"");
        assertThat(misuse(TwoMappingsOneKey.class)).contains("@ClaimMapping(claim = \"sub\", metadata = \"who\"): "
                + "metadata key \"who\" is the target of two mappings");
        assertThat(misuse(EmptyMetadata.class)).contains("metadata is empty");
    }

    @Test
    void subjectRolesStillWork() {
        assertThatThrownBy(() -> resolve(NeitherSubjectNorClaims.class))
                .isInstanceOf(ExtensionConfigurationException.class);
        RoleSpec role = resolve(ReservedMetadataFree.class).role("r").orElseThrow();
        assertThat(role.boundServiceAccount()).map(ServiceAccountSpec::subject)
                .contains("system:serviceaccount:a:b");
    }

    @VaultK8sTrust(roles = @JwtRole(name = "r", boundSubject = "system:serviceaccount:a:b"))
    static class ReservedMetadataFree {
    }
}
