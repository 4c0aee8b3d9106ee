package dev.sluice.guard;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.List;
import java.util.Objects;

/**
 * An operator's own rule: a name, a severity, keywords that must occur (the prefilter), and an RE2J
 * pattern tried only in a window around each keyword. RE2J runs in time linear in its input, so a
 * pattern written carelessly cannot make a request hang. A pattern with a capturing group reports
 * (and redacts) only group 1, e.g. {@code ACME_TOKEN=([A-Za-z0-9]{32})}.
 *
 * @param name     the rule's name: lower-case letters, digits and '-'
 * @param severity how bad a match is
 * @param keywords 1 to {@value #MAX_KEYWORDS} strings of 3 to 64 bytes, matched case-insensitively
 * @param pattern  an RE2 pattern of at most {@value #MAX_PATTERN} characters
 */
public record CustomRule(String name, Severity severity, List<String> keywords, String pattern) {
    public static final int MAX_RULES = 200;
    public static final int MAX_KEYWORDS = 20;
    public static final int MAX_PATTERN = 1000;

    public CustomRule {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(keywords, "keywords");
        Objects.requireNonNull(pattern, "pattern");
        new Rule(name, Category.CUSTOM, severity, "custom");
        keywords = List.copyOf(keywords);
        if (keywords.isEmpty() || keywords.size() > MAX_KEYWORDS) {
            throw new IllegalArgumentException("custom rule '" + name + "': " + keywords.size() + " keywords (expected: 1 to " + MAX_KEYWORDS + ")");
        }
        for (String k : keywords) {
            int n = k.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (n < 3 || n > 64) {
                throw new IllegalArgumentException("custom rule '" + name + "': keyword of " + n + " bytes (expected: 3 to 64)");
            }
        }
        if (pattern.isEmpty() || pattern.length() > MAX_PATTERN) {
            throw new IllegalArgumentException("custom rule '" + name + "': pattern of " + pattern.length() + " characters (expected: 1 to "
                    + MAX_PATTERN + ")");
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("custom rule '" + name + "': pattern does not compile: " + e.getDescription()
                    + " (expected: RE2 syntax)", e);
        }
    }

    public Rule rule() {
        return new Rule(name, Category.CUSTOM, severity, "operator rule");
    }
}
