package dev.sluice.identity;

/** A request the identity store refuses; {@link #kind()} says how callers should present it (400, 404, 409). */
public final class IdentityException extends RuntimeException {

    /** Why the request was refused. */
    public enum Kind { INVALID, NOT_FOUND, CONFLICT }

    private final Kind kind;

    public IdentityException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static IdentityException invalid(String message) {
        return new IdentityException(Kind.INVALID, message);
    }

    public static IdentityException notFound(String what, String id) {
        return new IdentityException(Kind.NOT_FOUND, what + " \"" + id + "\" not found");
    }

    public static IdentityException conflict(String message) {
        return new IdentityException(Kind.CONFLICT, message);
    }

    public Kind kind() {
        return kind;
    }
}
