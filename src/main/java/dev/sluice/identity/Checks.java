package dev.sluice.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation of everything an operator types: ids, names, tags, lifetimes. Each failure names the field, shows the
 * bad value and says what was expected, because the message goes straight back to the CLI or admin API caller.
 */
public final class Checks {
    /** Readable in reports and safe in URLs and CSV; {@code @} so an e-mail address can be a user id. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,127}");
    /** The same names {@code SpendQuery} accepts for {@code tag:<name>}, so every tag can be reported on. */
    private static final Pattern TAG_NAME = Pattern.compile("[a-z0-9_.\\-]{1,64}");
    private static final int MAX_TEXT = 200;
    private static final int MAX_TAG_VALUE = 256;
    private static final int MAX_TAGS = 32;

    private Checks() {
    }

    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw IdentityException.invalid(field + ": " + show(value)
                    + " (expected: 1-128 letters, digits, '.', '_', '-' or '@', starting with a letter or digit)");
        }
        return value;
    }

    /** Free text such as a display name or alias: trimmed, not blank, no control characters. */
    public static String text(String field, String value) {
        String v = value == null ? "" : value.strip();
        if (v.isEmpty() || v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl)) {
            throw IdentityException.invalid(field + ": " + show(value)
                    + " (expected: 1-" + MAX_TEXT + " characters without control characters)");
        }
        return v;
    }

    public static String email(String value) {
        if (value == null) {
            return null;
        }
        String v = text("email", value);
        if (v.indexOf('@') <= 0 || v.indexOf(' ') >= 0) {
            throw IdentityException.invalid("email: " + show(value) + " (expected: an address such as ana@example.com)");
        }
        return v;
    }

    /** Tag names are lower-cased, as request tags ({@code x-sluice-tag-<name>} headers) are. */
    public static Map<String, String> tags(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags == null) {
            return out;
        }
        if (tags.size() > MAX_TAGS) {
            throw IdentityException.invalid("tags: " + tags.size() + " tags (expected: at most " + MAX_TAGS + ")");
        }
        tags.forEach((k, v) -> {
            String name = k == null ? "" : k.strip().toLowerCase(Locale.ROOT);
            if (!TAG_NAME.matcher(name).matches()) {
                throw IdentityException.invalid("tag name: " + show(k)
                        + " (expected: 1-64 letters, digits, '_', '.' or '-')");
            }
            String value = v == null ? "" : v.strip();
            if (value.isEmpty() || value.length() > MAX_TAG_VALUE || value.chars().anyMatch(Character::isISOControl)) {
                throw IdentityException.invalid("tag " + name + ": value " + show(v)
                        + " (expected: 1-" + MAX_TAG_VALUE + " characters without control characters)");
            }
            out.put(name, value);
        });
        return out;
    }

    public static Duration positive(String field, Duration d) {
        if (d != null && (d.isNegative() || d.isZero())) {
            throw IdentityException.invalid(field + ": " + d + " (expected: longer than zero)");
        }
        return d;
    }

    /** The furthest an instant a caller sets may lie from now: far inside what epoch milliseconds hold. */
    static final Duration MAX_REACH = Duration.ofDays(36_500);

    /**
     * An instant a caller sets ({@code expires_at}), within {@link #MAX_REACH} of now. {@code Instant.parse} takes years
     * to ±1,000,000,000, whose epoch milliseconds overflow: such an expiry was a 500 and no change (attack round 34).
     */
    public static Instant instant(String field, Instant t, Instant now) {
        if (t != null && (t.isBefore(now.minus(MAX_REACH)) || t.isAfter(now.plus(MAX_REACH)))) {
            throw IdentityException.invalid(field + ": " + t + " (expected: an instant within 100 years of now)");
        }
        return t;
    }

    static String show(String value) {
        return value == null ? "null" : "\"" + value + "\"";
    }
}
