package dev.sluice.guard;

import java.util.Objects;

/**
 * One thing a scanner found. It never holds the matched text: only the rule, where it is, and the byte
 * range in the original body, so it can go into logs, traces, audit records and error messages as is.
 *
 * @param rule     the rule's name ("aws-secret-access-key", "email", "prompt-injection-override", ...)
 * @param category what kind of rule
 * @param severity how bad
 * @param start    first byte of the match in the original body (the raw JSON bytes, escapes included)
 * @param end      end (exclusive) of the match in the original body
 * @param location where, for people
 * @param score    the injection score for {@link Category#INJECTION} findings (0..1), else 1
 */
public record Finding(String rule, Category category, Severity severity, int start, int end, Location location, double score) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(location, "location");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("range: [" + start + ", " + end + ") (expected: 0 <= start <= end)");
        }
    }

    /** Secrets, personal data and operator rules are replaced on redaction; injection findings are for block or flag. */
    public boolean redactable() {
        return category != Category.INJECTION;
    }

    /** The same finding moved by {@code delta} bytes (a cached finding of a member that now sits elsewhere). */
    public Finding shifted(int delta) {
        return delta == 0 ? this : new Finding(rule, category, severity, start + delta, end + delta, location, score);
    }

    /** A message for a developer: the rule and where, never the matched text. */
    public String describe() {
        return rule + " (" + severity.label() + ") at " + location.describe();
    }
}
