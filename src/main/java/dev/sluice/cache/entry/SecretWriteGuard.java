package dev.sluice.cache.entry;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A basic write guard: refuses answers holding something shaped like a credential (cloud keys,
 * provider API keys, tokens, private keys, passwords assigned in config). High-precision patterns
 * only, each linear (no nested quantifiers); the guardrails feature brings the real scanner.
 */
public final class SecretWriteGuard implements WriteGuard {
    /** A named pattern. */
    private record Rule(String name, Pattern pattern) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule("aws-access-key", Pattern.compile("\\b(?:AKIA|ASIA)[0-9A-Z]{16}\\b")),
            new Rule("private-key", Pattern.compile("-----BEGIN (?:RSA |EC |OPENSSH |DSA |PGP )?PRIVATE KEY( BLOCK)?-----")),
            new Rule("anthropic-key", Pattern.compile("\\bsk-ant-[A-Za-z0-9_-]{20,}")),
            new Rule("openai-key", Pattern.compile("\\bsk-(?:proj-)?[A-Za-z0-9]{32,}")),
            new Rule("github-token", Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{60,})")),
            new Rule("slack-token", Pattern.compile("\\bxox[abprs]-[A-Za-z0-9-]{10,}")),
            new Rule("google-api-key", Pattern.compile("\\bAIza[0-9A-Za-z_-]{35}\\b")),
            new Rule("sluice-key", Pattern.compile("\\bsk-sluice-[A-Za-z0-9_-]{16,}")),
            new Rule("password-assignment", Pattern.compile("(?i)(?:password|passwd|secret)[a-z_]*\\s*[:=]\\s*[\"']?[^\\s\"']{8,}")));

    /** Longest text scanned; a longer answer is refused rather than scanned for long. */
    private static final int MAX_CHARS = 4 * 1024 * 1024;

    @Override
    public String flag(String text) {
        if (text.length() > MAX_CHARS) {
            return "answer too long to check (" + text.length() + " chars)";
        }
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(text);
            if (m.find()) {
                return "looks like a secret: " + r.name();
            }
        }
        return null;
    }
}
