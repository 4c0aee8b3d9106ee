package dev.sluice.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}; at most {@link #MAX} (a hundred
 * years), so no later sum or {@code toMillis()} overflows (attack round 27: {@code 9000000000000h} passed the parser and
 * failed a start with "long overflow", and the admin API's {@code since=} with a 500).
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    /** Longer than any timeout, period or age a gateway has use for, far from {@code Duration.toMillis()}'s limit. */
    public static final Duration MAX = Duration.ofDays(36_500);

    private Durations() {
    }

    public static Duration parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' (expected: a duration such as 500ms, 10s, 5m, 1h, 7d)");
        }
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        Duration d = digits.length() > 12 ? null : switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(Long.parseLong(digits));
            case "s" -> Duration.ofSeconds(Long.parseLong(digits));
            case "m" -> Duration.ofMinutes(Long.parseLong(digits));
            case "h" -> Duration.ofHours(Long.parseLong(digits));
            default -> Duration.ofDays(Long.parseLong(digits));
        };
        if (d == null || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' (expected: a duration up to 36500d, such as 500ms, 10s, 5m, 1h, 7d)");
        }
        return d;
    }
}
