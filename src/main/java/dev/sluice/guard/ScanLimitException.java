package dev.sluice.guard;

/**
 * A body holds more strings, or more escapes, than one scan keeps track of. The guard cannot vouch for what it did
 * not read, so the request is refused, not forwarded half-checked. The bounds keep one request's scan state to tens
 * of MB: a 31 MB body of a million one-letter text blocks needed ~100 MB and ran the gateway out of memory.
 */
public final class ScanLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String what;
    private final int limit;

    public ScanLimitException(String what, int limit) {
        super("more than " + limit + " " + what + " to scan");
        this.what = what;
        this.limit = limit;
    }

    /** What there were too many of: "strings" or "escapes". */
    public String what() {
        return what;
    }

    public int limit() {
        return limit;
    }
}
