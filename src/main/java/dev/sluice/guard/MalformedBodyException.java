package dev.sluice.guard;

/** The body is not the JSON the scanner expected; the message names the byte offset and what was expected there. */
public final class MalformedBodyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public MalformedBodyException(String what, int offset) {
        super("body is not valid JSON at byte " + offset + ": " + what);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
