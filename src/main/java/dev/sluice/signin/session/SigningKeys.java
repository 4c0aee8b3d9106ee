package dev.sluice.signin.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The keys session tokens are signed with: a fresh 256-bit HMAC key every {@code rotation}, and the
 * earlier ones kept for verification until every token they signed has expired, so several are valid
 * at once and a rotation never signs anyone out.
 *
 * <p>Why HMAC and not a public-key signature: the gateway is the only party that checks these
 * tokens, and an HS256 check costs about a microsecond where an ECDSA check costs tens, on every
 * request. The CLI reads the claims without verifying them, so it needs no key.
 *
 * <p>The current set is an immutable snapshot swapped in one volatile write; verification reads it
 * without locks.
 */
public final class SigningKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenLifetime;
    private volatile Ring ring;

    public SigningKeys(Clock clock, Duration rotation, Duration tokenLifetime) {
        this.clock = clock;
        this.rotation = rotation;
        this.tokenLifetime = tokenLifetime;
        this.ring = new Ring(List.of(newKey(clock.instant())));
    }

    /** The key to sign with now, rotating first when the current one is older than the rotation period. */
    public Key current() {
        Instant now = clock.instant();
        Ring r = ring;
        Key newest = r.keys.getFirst();
        if (now.isBefore(newest.created.plus(rotation))) {
            return newest;
        }
        synchronized (this) {
            r = ring;
            if (now.isBefore(r.keys.getFirst().created.plus(rotation))) {
                return r.keys.getFirst();
            }
            List<Key> kept = new ArrayList<>();
            kept.add(newKey(now));
            kept.add(r.keys.getFirst().retire(now));
            for (Key k : r.keys.subList(1, r.keys.size())) {
                // A retired key signed its last token when its successor arrived; keep it until that token expires.
                if (now.isBefore(k.retired.plus(tokenLifetime))) {
                    kept.add(k);
                }
            }
            ring = new Ring(kept);
            return kept.getFirst();
        }
    }

    /** The verifier for a key id, or null when the id is unknown or its key has been dropped. */
    public MACVerifier verifier(String kid) {
        return kid == null ? null : ring.byKid.get(kid);
    }

    /** Ids of the keys valid now, newest first (for tests and the status page). */
    public List<String> kids() {
        return ring.keys.stream().map(Key::kid).toList();
    }

    private static Key newKey(Instant now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        try {
            return new Key(HexFormat.of().formatHex(id), new MACSigner(secret), new MACVerifier(secret), now, null);
        } catch (JOSEException e) {
            throw new IllegalStateException("a 256-bit HMAC key is always accepted", e);
        }
    }

    /** One signing key; {@code retired} is when it stopped signing (null while it is the current one). */
    public record Key(String kid, MACSigner signer, MACVerifier verifier, Instant created, Instant retired) {
        Key retire(Instant at) {
            return new Key(kid, signer, verifier, created, at);
        }
    }

    private record Ring(List<Key> keys, Map<String, MACVerifier> byKid) {
        Ring(List<Key> keys) {
            this(List.copyOf(keys), keys.stream().collect(Collectors.toUnmodifiableMap(Key::kid, Key::verifier)));
        }
    }
}
