package dev.sluice.cache.semantic.index;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The exact cache's 128-bit hash of everything in a request except the newest user text (model,
 * system, tools, sampling parameters, every earlier turn, after its canonicalisation). Only
 * questions asked under the same anchor are compared by meaning.
 */
public record Anchor(long hi, long lo) {

    /** The first 16 bytes of a digest (e.g. a SHA-256 of the canonical request minus the newest text). */
    public static Anchor of(byte[] digest) {
        Objects.requireNonNull(digest, "digest");
        if (digest.length < 16) {
            throw new IllegalArgumentException("digest: " + digest.length + " bytes (expected: >= 16)");
        }
        ByteBuffer b = ByteBuffer.wrap(digest);
        return new Anchor(b.getLong(), b.getLong());
    }

    public static Anchor fromHex(String hex) {
        return of(HexFormat.of().parseHex(Objects.requireNonNull(hex, "hex")));
    }

    public String hex() {
        return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
    }
}
