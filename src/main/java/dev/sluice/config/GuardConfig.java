package dev.sluice.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code guard:} section (guardrails, issue 12), as written; {@code dev.sluice.guard.stage.GuardSettings}
 * compiles and checks it (every rule name, action word and pattern) when the file is applied.
 *
 * <pre>{@code
 * guard:
 *   enabled: true
 *   redaction-key: ${SLUICE_REDACTION_KEY}      # 16+ bytes; the same on every replica, so placeholders agree
 *   rules: {secrets: true, pii: [email, iban], injection: true, injection-threshold: 0.7, disable: [jwt]}
 *   actions: {default: block, secret: block, pii: redact, injection: flag, critical: block, rules: {stripe-test-key: flag}}
 *   answers: flag                               # scan answers too (off | flag)
 *   policies:                                   # first match wins; unset keys come from the section above
 *     - match: {org: acme, team: payments}
 *       actions: {secret: redact}
 *   webhook: {url: https://policy.internal/check, timeout: 300ms, fail-mode: open, token: ${POLICY_TOKEN}, call: findings}
 * }</pre>
 *
 * @param enabled      scan requests at all (off by default)
 * @param redactionKey key of the placeholders' HMAC; absent: a random key per process
 * @param rules        what is scanned for, by default
 * @param actions      what each finding leads to, by default
 * @param policies     overrides for some callers or routes, tried in order
 * @param webhook      the operator's policy service, or null
 * @param answers      {@code off} or {@code flag}: scan answers as they are returned
 */
public record GuardConfig(Boolean enabled, String redactionKey, Rules rules, Actions actions, List<Policy> policies,
                          Webhook webhook, String answers) {
    public GuardConfig {
        enabled = enabled != null && enabled;
        rules = rules == null ? Rules.NONE : rules;
        actions = actions == null ? Actions.NONE : actions;
        policies = policies == null ? List.of() : List.copyOf(policies);
        answers = answers == null ? "off" : answers;
    }

    public static GuardConfig defaults() {
        return new GuardConfig(null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "GuardConfig[enabled=" + enabled + ", redactionKey=" + (redactionKey == null ? "none" : "<redacted>") + ", rules=" + rules
                + ", actions=" + actions + ", policies=" + policies + ", webhook=" + webhook + ", answers=" + answers + "]";
    }

    /**
     * What is scanned for; a null field means "as the level above" (the section, then the built-in defaults).
     *
     * @param pii  personal-data rules to switch on by name, or {@code [all]}
     * @param disable rules switched off by name
     * @param minimumSeverity {@code low}, {@code medium}, {@code high} or {@code critical}
     * @param custom the operator's own rules
     */
    public record Rules(Boolean secrets, List<String> pii, Boolean injection, Double injectionThreshold, List<String> disable,
                        String minimumSeverity, List<CustomRule> custom) {
        static final Rules NONE = new Rules(null, null, null, null, null, null, null);
    }

    /**
     * An operator rule: RE2 syntax, tried only around its keywords.
     *
     * @param severity {@code low}, {@code medium}, {@code high} or {@code critical}
     */
    public record CustomRule(String name, String severity, List<String> keywords, String pattern) {
    }

    /**
     * What a finding leads to: {@code block}, {@code redact} or {@code flag}. A rule's own entry wins; else the
     * stricter of its category's and its severity's; else {@code default}.
     *
     * @param byDefault {@code default}: for findings nothing else names
     * @param truncated for a body so pathological that the scan stopped early
     * @param rules     per rule name
     */
    public record Actions(@JsonProperty("default") String byDefault, String secret, String pii, String injection, String custom,
                          String critical, String high, String medium, String low, String truncated, Map<String, String> rules) {
        static final Actions NONE = new Actions(null, null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * Overrides for requests that match: every given field must match.
     *
     * @param match   who and where
     * @param rules   field by field over the section's
     * @param actions field by field over the section's
     */
    public record Policy(Match match, Rules rules, Actions actions) {
    }

    /**
     * @param org   the caller's org id
     * @param team  the caller's team id
     * @param user  the caller's user id
     * @param key   the gateway key's alias or id
     * @param route the upstream the routes send the requested model to
     * @param model a glob over the requested model
     */
    public record Match(String org, String team, String user, String key, String route, String model) {
    }

    /**
     * @param url      http or https; the request's summary (never its content) is POSTed there
     * @param timeout  the whole call (default 500ms)
     * @param failMode {@code open} (default) or {@code closed}: what an unanswered call means
     * @param token    sent as a bearer token
     * @param call     {@code findings} (default: only when the scanners found something) or {@code always}
     */
    public record Webhook(String url, Duration timeout, String failMode, String token, String call) {
        @Override
        public String toString() {
            return "Webhook[url=" + url + ", timeout=" + timeout + ", failMode=" + failMode + ", token=" + (token == null ? "none" : "<redacted>")
                    + ", call=" + call + "]";
        }
    }
}
