package dev.sluice.identity;

/**
 * A key just issued or rotated, with its secret: the only moment the secret exists outside the caller's hands.
 * {@link #toString()} leaves the secret out so it cannot slip into a log.
 */
public record IssuedKey(VirtualKey key, String secret) {
    @Override
    public String toString() {
        return "IssuedKey[id=" + key.id() + ", prefix=" + key.prefix() + "]";
    }
}
