package dev.sluice.cache.learn;

import dev.sluice.config.Durations;
import java.time.Duration;

/** A look-back window given by a caller ({@code 30m}, {@code 24h}, {@code 7d}, {@code 2w}), bounded. */
public final class Since {
    public static final Duration MAX = Duration.ofDays(90);

    private Since() {
    }

    /**
     * @param param the option or query parameter, for the error message
     * @throws IllegalArgumentException naming the parameter, the value and what is expected
     */
    public static Duration parse(String param, String text) {
        String shown = text == null ? "null" : text.length() > 32 ? text.substring(0, 32) + "..." : text;
        String expected = " (expected: a window from 1m to 90d, such as 30m, 24h, 7d or 2w)";
        if (text == null || text.isBlank() || text.length() > 16) {
            throw new IllegalArgumentException(param + ": '" + shown + "'" + expected);
        }
        String t = text.trim();
        Duration d;
        try {
            d = t.endsWith("w") ? Durations.parse(t.substring(0, t.length() - 1) + "d").multipliedBy(7) : Durations.parse(t);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(param + ": '" + shown + "'" + expected);
        }
        if (d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException(param + ": '" + shown + "'" + expected);
        }
        return d;
    }
}
