package dev.sluice.signin.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.SigninConfig;
import dev.sluice.pipeline.Identity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sign-in's model lists fold names as routing's access rules do: look-alike names of a denied model stay denied. */
class ModelPolicyTest {
    static final Identity DEV = new Identity("sso:dev@corp.example", "dev@corp.example", "dev@corp.example", "platform", "acme", Map.of());

    @Test
    void aDeniedModelIsDeniedInAnyCaseBehindAProviderPrefixAndThroughAnAlias() {
        ModelPolicy p = new ModelPolicy(new SigninConfig.Models(null, List.of("claude-opus-*"), null, null), who -> List.of());
        assertThat(p.allowed(DEV, "claude-opus-4-6")).isFalse();
        assertThat(p.allowed(DEV, "CLAUDE-OPUS-4-6")).isFalse();
        assertThat(p.allowed(DEV, "Claude-Opus-4-6")).isFalse();
        assertThat(p.allowed(DEV, "us.anthropic.claude-opus-4-6-v1:0")).isFalse();
        assertThat(p.allowed(DEV, "anthropic/claude-opus-4-6")).isFalse();
        assertThat(p.allowed(DEV, "opus", "claude-opus-4-6")).as("an alias resolving to a denied id").isFalse();
        assertThat(p.allowed(DEV, "claude-sonnet-4-5")).isTrue();
        assertThat(p.allowed(DEV, "sonnet", "claude-sonnet-4-5")).isTrue();
    }

    @Test
    void anUppercaseDenyPatternStillHoldsAndAGroupsDenyListFoldsToo() {
        SigninConfig.Models group = new SigninConfig.Models(null, List.of("CLAUDE-HAIKU-*"), null, null);
        ModelPolicy p = new ModelPolicy(new SigninConfig.Models(null, null, Map.of("interns", group), null),
                who -> List.of("interns"));
        assertThat(p.allowed(DEV, "claude-haiku-4-5")).isFalse();
        assertThat(p.allowed(DEV, "global.anthropic.claude-haiku-4-5-20251001-v1:0")).isFalse();
        assertThat(p.allowed(DEV, "claude-sonnet-4-5")).isTrue();
    }

    @Test
    void theAllowListJudgesTheResolvedIdSoAnAliasCannotWidenIt() {
        ModelPolicy p = new ModelPolicy(new SigninConfig.Models(List.of("claude-haiku-*"), null, null, null), who -> List.of());
        assertThat(p.allowed(DEV, "haiku", "claude-haiku-4-5")).isTrue();
        assertThat(p.allowed(DEV, "claude-haiku-x", "claude-opus-4-6")).as("an alias named like an allowed model").isFalse();
        assertThat(p.allowed(DEV, null)).isFalse();
    }
}
