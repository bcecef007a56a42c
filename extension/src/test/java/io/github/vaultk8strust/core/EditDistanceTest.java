package io.github.vaultk8strust.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The suggestion behind "did you mean ...?": the typos users make in role files find the key they meant. */
class EditDistanceTest {

    private static final List<String> KUBERNETES = List.of("alias_name_source", "audience", "bound_cidrs",
            "bound_service_account_names", "bound_service_account_namespace_selector",
            "bound_service_account_namespaces", "max_ttl", "num_uses", "period", "policies", "token_bound_cidrs",
            "token_explicit_max_ttl", "token_max_ttl", "token_no_default_policy", "token_num_uses", "token_period",
            "token_policies", "token_ttl", "token_type", "ttl");
    private static final List<String> JWT = List.of("allowed_redirect_uris", "bound_audiences", "bound_cidrs",
            "bound_claims", "bound_claims_type", "bound_subject", "claim_mappings", "clock_skew_leeway",
            "expiration_leeway", "groups_claim", "max_age", "max_ttl", "not_before_leeway", "num_uses", "oidc_scopes",
            "period", "policies", "role_type", "token_bound_cidrs", "token_explicit_max_ttl", "token_max_ttl",
            "token_no_default_policy", "token_num_uses", "token_period", "token_policies", "token_ttl", "token_type",
            "ttl", "user_claim", "user_claim_json_pointer", "verbose_oidc_logging");
    private static final Set<String> DEPRECATED = Set.of("bound_cidrs", "max_ttl", "num_uses", "period", "policies",
            "ttl");

    @Test
    void distances() {
        assertThat(EditDistance.between("audience", "audience")).isZero();
        assertThat(EditDistance.between("audiences", "audience")).isEqualTo(1);
        assertThat(EditDistance.between("policy", "policies")).isEqualTo(3);
        assertThat(EditDistance.between("bound_subjcet", "bound_subject")).isEqualTo(1); // a swap counts once
        assertThat(EditDistance.between("", "ttl")).isEqualTo(3);
    }

    @Test
    void theTyposOfTheIssueFindTheKeyMeant() {
        assertThat(EditDistance.nearest("audiences", KUBERNETES, DEPRECATED)).contains("audience");
        assertThat(EditDistance.nearest("policy", JWT, DEPRECATED)).contains("policies");
        assertThat(EditDistance.nearest("bound_audience", JWT, DEPRECATED)).contains("bound_audiences");
        assertThat(EditDistance.nearest("bound_service_account_name", KUBERNETES, DEPRECATED))
                .contains("bound_service_account_names");
        assertThat(EditDistance.nearest("token_policy", JWT, DEPRECATED)).contains("token_policies");
        assertThat(EditDistance.nearest("user_claims", JWT, DEPRECATED)).contains("user_claim");
    }

    @Test
    void anUnrelatedKeySuggestsNothing() {
        assertThat(EditDistance.nearest("role_name", KUBERNETES, DEPRECATED)).isEmpty();
        assertThat(EditDistance.nearest("foo", JWT, DEPRECATED)).isEmpty();
        assertThat(EditDistance.nearest("backend", JWT, DEPRECATED)).isEmpty();
    }

    @Test
    void aTieGoesToTheKeyThatIsNotDeprecated() {
        // "tcl" is one edit from both "ttl" and "tcx"/"tcz".
        assertThat(EditDistance.nearest("tcl", List.of("ttl", "tcx"), Set.of("ttl"))).contains("tcx");
        assertThat(EditDistance.nearest("tcl", List.of("ttl", "tcx"), Set.of())).contains("tcx"); // alphabetical
        assertThat(EditDistance.nearest("tcl", List.of("ttl", "tcz"), Set.of("tcz"))).contains("ttl");
    }
}
