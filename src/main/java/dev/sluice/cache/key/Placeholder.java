package dev.sluice.cache.key;

/**
 * A developer-specific value the key replaces with a stand-in, and what an answer may do with it.
 *
 * <p>{@link #substitutable()} values are paths: an answer that names A's path is stored with the
 * stand-in and replayed with B's path. The others are replaced in the key only where Claude Code puts
 * them (the {@code Git user:} line, the date line); an answer that mentions one is pinned to the value
 * it was made with, so it is served only to requests with that same value.
 */
public enum Placeholder {
    WORKSPACE(1, true),
    HOME(2, true),
    PROJECT_SLUG(3, true),
    GIT_USER(4, false),
    DATE(5, false);

    private final int id;
    private final boolean substitutable;

    Placeholder(int id, boolean substitutable) {
        this.id = id;
        this.substitutable = substitutable;
    }

    /** The byte written for it in keys and stored answers. */
    public int id() {
        return id;
    }

    public boolean substitutable() {
        return substitutable;
    }

    public static Placeholder byId(int id) {
        for (Placeholder p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        throw new IllegalArgumentException("placeholder id: " + id + " (expected: 1.." + values().length + ")");
    }
}
