package dev.sluice.config;

import java.util.Locale;

/** A byte count written as {@code 32MB}, {@code 512KB} or a plain number of bytes. */
public record Size(long bytes) {
    public static Size ofMegabytes(long mb) {
        return new Size(mb * 1024 * 1024);
    }

    public static Size parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace(" ", "");
        long unit = 1;
        if (t.endsWith("GB")) {
            unit = 1L << 30;
        } else if (t.endsWith("MB")) {
            unit = 1L << 20;
        } else if (t.endsWith("KB")) {
            unit = 1L << 10;
        }
        String digits = unit == 1 ? (t.endsWith("B") ? t.substring(0, t.length() - 1) : t) : t.substring(0, t.length() - 2);
        try {
            long n = Long.parseLong(digits);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return new Size(n * unit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' (expected: a positive size such as 32MB, 512KB or 1048576)");
        }
    }
}
