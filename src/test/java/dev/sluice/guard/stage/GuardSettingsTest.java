package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.GuardConfig;
import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardScan;
import dev.sluice.guard.Location;
import dev.sluice.guard.Section;
import dev.sluice.guard.Severity;
import dev.sluice.guard.Source;
import dev.sluice.pipeline.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code guard:} section compiled: which policy applies, which action a finding gets, what verdicts say. */
class GuardSettingsTest {
    private static GuardSettings settings(String yaml) {
        return GuardSettings.compile(new ConfigLoader(Map.of()).parse("test", yaml).guard());
    }

    private static Finding finding(String rule, Category c, Severity s, String field) {
        return new Finding(rule, c, s, 10, 20, new Location(Section.MESSAGES, 2, 0, -1, "tool_result", field, Source.TOOL_RESULT, 3), 1);
    }

    private static final Identity ANA = new Identity("k1", "laptop", "ana", "payments", "acme", Map.of());
    private static final Identity BOB = new Identity("k2", "ci-bot", "bob", "platform", "acme", Map.of());
    private static final Identity EVE = new Identity("k3", "laptop", "eve", "red", "globex", Map.of());

    @Test
    void aRulesOwnActionWinsElseTheStricterOfCategoryAndSeverityElseTheDefault() {
        GuardSettings s = settings("""
                guard:
                  enabled: true
                  actions: {default: flag, secret: redact, critical: block, rules: {jwt: flag}}
                """);
        ActionTable t = s.entryFor(ANA, () -> "sim", "m").actions();
        assertThat(t.decide(finding("github-token", Category.SECRET, Severity.CRITICAL, "content"))).isEqualTo(GuardAction.BLOCK);
        assertThat(t.decide(finding("password-assignment", Category.SECRET, Severity.MEDIUM, "content"))).isEqualTo(GuardAction.REDACT);
        assertThat(t.decide(finding("jwt", Category.SECRET, Severity.MEDIUM, "content"))).isEqualTo(GuardAction.FLAG);
        // Built-in defaults: personal data redacted, injection flagged.
        assertThat(t.decide(finding("email", Category.PII, Severity.LOW, "content"))).isEqualTo(GuardAction.REDACT);
        assertThat(t.decide(finding("prompt-injection-override", Category.INJECTION, Severity.HIGH, "content"))).isEqualTo(GuardAction.FLAG);
    }

    @Test
    void injectionCannotBeRedactedSoRedactMeansBlockForIt() {
        GuardSettings s = settings("guard: {enabled: true, actions: {injection: redact}}");
        ActionTable t = s.entryFor(ANA, () -> "sim", "m").actions();
        assertThat(t.decide(finding("prompt-injection-override", Category.INJECTION, Severity.HIGH, "content"))).isEqualTo(GuardAction.BLOCK);
    }

    @Test
    void theFirstMatchingPolicyAppliesAndInheritsTheSectionsKeys() {
        GuardSettings s = settings("""
                guard:
                  enabled: true
                  rules: {pii: [email]}
                  actions: {secret: block}
                  policies:
                    - match: {org: acme, key: ci-bot}
                      actions: {secret: flag}
                    - match: {team: payments, route: bedrock}
                      rules: {pii: [iban]}
                    - match: {org: acme, model: "claude-*haiku*"}
                      actions: {pii: flag}
                """);
        assertThat(s.entryFor(BOB, () -> "sim", "claude-sonnet-4-5").name()).isEqualTo("guard.policies[0]");
        assertThat(s.entryFor(ANA, () -> "bedrock", "claude-sonnet-4-5").name()).isEqualTo("guard.policies[1]");
        assertThat(s.entryFor(ANA, () -> "sim", "claude-sonnet-4-5").name()).isEqualTo("guard");
        assertThat(s.entryFor(ANA, () -> "sim", "claude-3-5-haiku-latest").name()).isEqualTo("guard.policies[2]");
        assertThat(s.entryFor(EVE, () -> "bedrock", "claude-3-5-haiku-latest").name()).isEqualTo("guard");
        assertThat(s.entryFor(null, () -> "sim", null).name()).isEqualTo("guard");
        // policies[1] replaces the pii list; policies[0] keeps the section's rules and its secret action is its own.
        GuardSettings.Entry p1 = s.entryFor(ANA, () -> "bedrock", "m");
        assertThat(p1.policy().toString()).contains("pii=[iban]");
        GuardSettings.Entry p0 = s.entryFor(BOB, () -> "sim", "m");
        assertThat(p0.policy().toString()).contains("pii=[email]");
        assertThat(p0.actions().decide(finding("github-token", Category.SECRET, Severity.CRITICAL, "content"))).isEqualTo(GuardAction.FLAG);
    }

    @Test
    void eachTenantGetsItsOwnScopeSoConversationCachesNeverMix() {
        GuardSettings s = settings("guard: {enabled: true}");
        GuardSettings.Entry e = s.entryFor(ANA, () -> "sim", "m");
        assertThat(s.policyFor(e, ANA).fingerprint()).isEqualTo(s.policyFor(e, BOB).fingerprint()); // same org
        assertThat(s.policyFor(e, ANA).fingerprint()).isNotEqualTo(s.policyFor(e, EVE).fingerprint());
        Identity keyOnly = new Identity("k9", "solo", null, null, null, Map.of());
        assertThat(s.policyFor(e, keyOnly).scope()).isEqualTo("guard|key:k9");
        assertThat(s.policyFor(e, ANA)).isSameAs(s.policyFor(e, ANA));
    }

    @Test
    void mistakesAreRefusedWithTheKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> settings("guard: {actions: {pii: redacted}}")).hasMessage("guard.actions.pii: 'redacted' (expected: block, redact or flag)");
        assertThatThrownBy(() -> settings("guard: {actions: {rules: {githubtoken: flag}}}"))
                .hasMessageStartingWith("guard.actions.rules: unknown rule 'githubtoken'");
        assertThatThrownBy(() -> settings("guard: {actions: {truncated: redact}}")).hasMessageContaining("guard.actions.truncated");
        assertThatThrownBy(() -> settings("guard: {rules: {minimum-severity: urgent}}"))
                .hasMessage("guard.rules: minimum-severity: 'urgent' (expected: low, medium, high or critical)");
        assertThatThrownBy(() -> settings("guard: {rules: {custom: [{name: acme-token, keywords: [acme_], pattern: 'ACME_(['}]}}"))
                .hasMessageContaining("guard.rules").hasMessageContaining("does not compile");
        assertThatThrownBy(() -> settings("guard: {redaction-key: short}")).hasMessageStartingWith("guard.redaction-key: redaction key: 5 bytes");
        assertThatThrownBy(() -> settings("guard: {answers: block}")).hasMessage("guard.answers: 'block' (expected: off or flag)");
        assertThatThrownBy(() -> settings("guard: {webhook: {url: 'ftp://x/y'}}")).hasMessageStartingWith("guard.webhook: policy webhook url");
        assertThatThrownBy(() -> settings("guard: {webhook: {url: 'http://x/y', fail-mode: maybe}}"))
                .hasMessage("guard.webhook.fail-mode: 'maybe' (expected: open or closed)");
        assertThatThrownBy(() -> settings("guard: {policies: [{match: {org: a}, actions: {custom: nope}}]}"))
                .hasMessage("guard.policies[0].actions.custom: 'nope' (expected: block, redact or flag)");
        // A custom rule can be named in actions.
        assertThat(settings("guard: {rules: {custom: [{name: acme-token, keywords: [acme_], pattern: 'acme_[a-z]{8}'}]},"
                + " actions: {rules: {acme-token: redact}}}").enabled()).isFalse();
    }

    @Test
    void theSecretConfigValuesNeverShowInTheSectionsText() {
        GuardConfig g = new ConfigLoader(Map.of()).parse("test", """
                guard: {redaction-key: "super-secret-redaction-key", webhook: {url: "http://h/x", token: "hook-secret-token"}}
                """).guard();
        assertThat(g.toString()).doesNotContain("super-secret").doesNotContain("hook-secret").contains("<redacted>");
    }

    @Test
    void verdictsNameRulesAndPlacesBoundedAndWithoutControlCharacters() {
        GuardSettings s = settings("guard: {enabled: true}");
        GuardSettings.Entry e = s.entryFor(ANA, () -> "sim", "m");
        List<Finding> many = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            many.add(finding("email", Category.PII, Severity.LOW, "key\n\u0007" + "x".repeat(300)));
        }
        GuardVerdict v = GuardVerdict.of(e, e.policy(), new GuardScan(many, 0, 1, 1, 0, false));
        String summary = v.summary();
        assertThat(summary).startsWith("redact: redact email@messages[2].content[0] (tool_result) field \"key??xxx");
        assertThat(summary.length()).isLessThanOrEqualTo(GuardVerdict.MAX_SUMMARY + 20);
        assertThat(summary).endsWith(" more");
        assertThat(summary.chars().noneMatch(c -> c < 0x20)).isTrue();
        assertThat(GuardStage.header(v)).isEqualTo("redact=email");

        GuardVerdict clean = GuardVerdict.of(e, e.policy(), new GuardScan(List.of(), 0, 1, 1, 0, false));
        assertThat(clean.summary()).isEqualTo("pass");
        assertThat(GuardStage.header(clean)).isNull();
        GuardVerdict truncated = GuardVerdict.of(e, e.policy(), new GuardScan(List.of(), 0, 1, 1, 0, true));
        assertThat(truncated.action()).isEqualTo(GuardAction.BLOCK);
        assertThat(BlockReply.message(truncated, "req_1")).contains("rule scan-truncated").endsWith("Audit id req_1.");
    }

    @Test
    void theBlockMessageNamesAtMostThreeFindingsAndCountsTheRest() {
        GuardSettings s = settings("guard: {enabled: true}");
        GuardSettings.Entry e = s.entryFor(ANA, () -> "sim", "m");
        List<Finding> f = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            f.add(finding("github-token", Category.SECRET, Severity.CRITICAL, "content"));
        }
        String m = BlockReply.message(GuardVerdict.of(e, e.policy(), new GuardScan(f, 0, 1, 1, 0, false)), "req_9");
        assertThat(m).startsWith("Blocked by the gateway's content policy, nothing was sent to the model: a GitHub personal access")
                .contains("(rule github-token, critical) at messages[2].content[0] (tool_result), line 3").contains("; and 2 more.");
    }

    @Test
    void globsMatchLikeTheRoutesDo() {
        assertThat(PolicyMatch.glob("claude-*haiku*", "claude-3-5-haiku-latest")).isTrue();
        assertThat(PolicyMatch.glob("claude-*haiku*", "claude-sonnet-4-5")).isFalse();
        assertThat(PolicyMatch.glob("*", "")).isTrue();
        assertThat(PolicyMatch.glob("a*b*c", "a" + "b".repeat(10_000))).isFalse();
        assertThat(PolicyMatch.glob("exact", "exact")).isTrue();
        assertThat(PolicyMatch.glob("exact", "exactly")).isFalse();
    }

    @Test
    void aCacheWriteIsCheckedWithTheCallersTenantPolicy() {
        GuardSettings s = settings("""
                guard:
                  enabled: true
                  policies:
                    - match: {org: acme}
                      rules: {pii: [iban]}
                """);
        dev.sluice.guard.CacheWriteGuard write = new dev.sluice.guard.CacheWriteGuard(new dev.sluice.guard.GuardScanner(), s::defaultPolicy);
        String answer = "Pay the invoice to GB43 BUKB 2020 1555 5555 69 by Friday.";
        // acme turns IBANs on: its answer is served to the asker but never stored for the org to replay.
        assertThat(write.flag(answer, s.writePolicy(ANA))).isEqualTo("guard found iban");
        // globex keeps the section's own policy (personal data off), as does a write with no caller.
        assertThat(write.flag(answer, s.writePolicy(EVE))).isNull();
        assertThat(write.flag(answer)).isNull();
    }
}
