package dev.sluice.guard;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named thing a scanner can find, with its category and severity. Names are lower-case words joined by
 * hyphens, so they are safe in placeholders, metric labels and error messages.
 */
public record Rule(String name, Category category, Severity severity, String description) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{1,47}");

    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(description, "description");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rule name: '" + name + "' (expected: 2-48 of a-z, 0-9 and '-', starting with a letter or digit)");
        }
    }

    public static Rule secret(String name, Severity severity, String description) {
        return new Rule(name, Category.SECRET, severity, description);
    }

    public static Rule pii(String name, Severity severity, String description) {
        return new Rule(name, Category.PII, severity, description);
    }

    public static Rule injection(String name, String description) {
        return new Rule(name, Category.INJECTION, Severity.HIGH, description);
    }
}
