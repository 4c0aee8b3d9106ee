package dev.sluice.authenticate;

import dev.sluice.config.Part;
import dev.sluice.pipeline.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Gateway keys listed in the configuration. Only their SHA-256 digests are kept; a presented key
 * is digested and compared with {@link MessageDigest#isEqual}, which takes the same time wherever
 * the bytes differ.
 */
public final class StaticKeys implements KeyResolver {
    /** One digest per thread: looking one up by name (providers, algorithm constraints) cost more than hashing a key. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /** The static keys of a configuration snapshot (so a reload can add or remove one). */
    public static final Part<StaticKeys> PART = Part.of("auth.keys", c -> new StaticKeys(c.auth().keys()));

    private final List<byte[]> digests = new ArrayList<>();

    public StaticKeys(List<String> keys) {
        for (String k : keys) {
            digests.add(sha256(k));
        }
    }

    @Override
    public Identity resolve(String presentedKey) {
        byte[] d = sha256(presentedKey);
        for (int i = 0; i < digests.size(); i++) {
            if (MessageDigest.isEqual(d, digests.get(i))) {
                String id = "static-" + HexFormat.of().formatHex(digests.get(i), 0, 4);
                return new Identity(id, "config key " + (i + 1), null, null, null, Map.of());
            }
        }
        return null;
    }

    @Override
    public boolean isEmpty() {
        return digests.isEmpty();
    }

    static byte[] sha256(String s) {
        return SHA256.get().digest(s.getBytes(StandardCharsets.UTF_8)); // digest() leaves it reset for the next call
    }
}
