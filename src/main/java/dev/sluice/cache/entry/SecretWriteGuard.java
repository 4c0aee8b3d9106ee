package dev.sluice.cache.entry;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A basic write guard: refuses answers holding something shaped like a credential (cloud keys,
 * provider API keys, tokens, private keys, passwords assigned in config). High-precision patterns
 * only, each linear (no nested quantifiers); the guardrails feature brings the real scanner.
 */
public final class SecretWriteGuard implements WriteGuard {
    /**
     * A named pattern and the literals every match of it contains: the regex runs only on an answer holding one of
     * them. Most answers hold none, so a store costs a few {@code indexOf} scans instead of nine regex passes
     * (measured: the regexes were ~1.5% of the gateway's CPU with every feature on, on 400-byte answers).
     */
    private record Rule(String name, Pattern pattern, boolean ignoreCase, String... anchors) {
        boolean mayMatch(String text) {
            for (String a : anchors) {
                if (ignoreCase ? containsIgnoreCase(text, a) : text.contains(a)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b"), false, "AKIA", "ASIA"),
            new Rule("private-key", Pattern.compile("-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----"),
                    false, "PRIVATE KEY"),
            new Rule("anthropic-key", Pattern.compile("\\bsk-ant-[A-Za-z0-9_-]{20,}"), false, "sk-ant-"),
            new Rule("openai-key", Pattern.compile("\\bsk-(?:proj-)?[A-Za-z0-9]{32,}"), false, "sk-"),
            new Rule("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})"), false,
                    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
            new Rule("slack-token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}"), false, "xox"),
            new Rule("google-api-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b"), false, "AIza"),
            new Rule("sluice-key", Pattern.compile("\\bsk-sluice-[A-Za-z0-9_-]{16,}"), false, "sk-sluice-"),
            new Rule("password-assignment", Pattern.compile("(?i)(?:password|passwd|secret)[a-z_]*\\s*[:=]\\s*[\"']?[^\\s\"']{8,}"),
                    true, "passw", "secret"));

    /** Longest text scanned; a longer answer is refused rather than scanned for long. */
    private static final int MAX_CHARS = 4 * 1024 * 1024;

    @Override
    public String flag(String text) {
        if (text.length() > MAX_CHARS) {
            return "answer too long to check (" + text.length() + " chars)";
        }
        for (Rule r : RULES) {
            if (r.mayMatch(text) && r.pattern().matcher(text).find()) {
                return "looks like a secret: " + r.name();
            }
        }
        return null;
    }

    /** {@code text} contains {@code lower} (ASCII lower case) in any case, as {@code (?i)} compares ASCII letters. */
    static boolean containsIgnoreCase(String text, String lower) {
        char first = lower.charAt(0);
        char upper = Character.toUpperCase(first);
        int last = text.length() - lower.length();
        for (int i = 0; i <= last; i++) {
            char c = text.charAt(i);
            if ((c == first || c == upper) && text.regionMatches(true, i, lower, 0, lower.length())) {
                return true;
            }
        }
        return false;
    }
}
