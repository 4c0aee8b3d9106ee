package dev.sluice.cache;

import java.util.Locale;

/** Whether the cache may answer requests (read) and keep answers (write). */
public enum CacheMode {
    ON(true, true), OFF(false, false), READ_ONLY(true, false), WRITE_ONLY(false, true);

    private final boolean reads;
    private final boolean writes;

    CacheMode(boolean reads, boolean writes) {
        this.reads = reads;
        this.writes = writes;
    }

    public boolean reads() {
        return reads;
    }

    public boolean writes() {
        return writes;
    }

    /** What both allow: a request can narrow its route's mode, never widen it. */
    public CacheMode and(CacheMode other) {
        boolean r = reads && other.reads;
        boolean w = writes && other.writes;
        return r ? (w ? ON : READ_ONLY) : (w ? WRITE_ONLY : OFF);
    }

    /** {@code on}, {@code off}, {@code read-only}, {@code write-only}. */
    public static CacheMode parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "on" -> ON;
            case "off" -> OFF;
            case "read-only" -> READ_ONLY;
            case "write-only" -> WRITE_ONLY;
            default -> throw new IllegalArgumentException("cache mode: '" + value + "' (expected: on, off, read-only or write-only)");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
