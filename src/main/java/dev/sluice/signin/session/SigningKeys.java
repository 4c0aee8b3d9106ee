package dev.sluice.signin.session;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import dev.sluice.signin.store.SigninDb;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The keys session tokens are signed with, shared through the database by every replica and kept
 * across restarts: a fresh 256-bit HMAC key every {@code rotation}, the earlier ones kept for
 * verification until every token they signed has expired, so several are valid at once and neither a
 * rotation nor a restart signs anyone out.
 *
 * <p>Why HMAC and not a public-key signature: the gateway is the only party that checks these tokens,
 * and an HS256 check costs about a microsecond where an ECDSA check costs tens, on every request. The
 * CLI reads the claims without verifying them, so it needs no key.
 *
 * <p>Rotation without a coordinator: {@link #sync()} (the upkeep thread, every sync period) writes
 * the next key {@link #LEAD} before its {@code not_before}, so every replica has read it long before
 * any token signed with it arrives; the write is versioned, so replicas that find a key due at the
 * same moment write it once. Signing and verifying read an immutable in-memory ring swapped in one
 * volatile write: no lock and no database on the request path.
 */
public final class SigningKeys {
    /** How far ahead of its use a key is published: many sync periods plus any sane clock skew between replicas. */
    public static final Duration LEAD = Duration.ofSeconds(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SigninDb db;
    private final Clock clock;
    private final Duration rotation;
    private final Duration tokenLifetime;
    private volatile Ring ring = new Ring(List.of());

    public SigningKeys(SigninDb db, Clock clock, Duration rotation, Duration tokenLifetime) {
        if (rotation.compareTo(LEAD.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("signin.key-rotation: " + rotation + " (expected: at least " + LEAD.multipliedBy(2) + ")");
        }
        this.db = db;
        this.clock = clock;
        this.rotation = rotation;
        this.tokenLifetime = tokenLifetime;
    }

    /** The key to sign with now: the newest whose time has come. */
    public Key current() {
        long now = clock.millis();
        for (Key k : ring.keys) {
            if (k.notBeforeMs <= now) {
                return k;
            }
        }
        throw new IllegalStateException("no signing key has been read from the database yet (sync() first)");
    }

    /** The verifier for a key id, or null when the id is unknown or its key has been dropped. */
    public MACVerifier verifier(String kid) {
        return kid == null ? null : ring.byKid.get(kid);
    }

    /** Ids of the keys valid now, newest first (for tests and the status page). */
    public List<String> kids() {
        return ring.keys.stream().map(Key::kid).toList();
    }

    /** Reads the keys; writes the next one when due and drops those no live token can need. Blocking. */
    public void sync() {
        long now = clock.millis();
        List<KeyTable.Row> rows = db.run("read signing keys", KeyTable::all);
        if (due(rows, now) || !droppable(rows, now).isEmpty()) {
            rows = db.versioned("rotate signing keys", (c, seq) -> {
                List<KeyTable.Row> fresh = KeyTable.all(c); // under the lock: another replica may have just done it
                if (due(fresh, now)) {
                    KeyTable.insert(c, newRow(nextNotBefore(fresh, now), now));
                }
                for (String kid : droppable(fresh, now)) {
                    KeyTable.delete(c, kid);
                }
                return KeyTable.all(c);
            });
        }
        Map<String, Key> known = ring.keys.stream().collect(Collectors.toMap(Key::kid, Function.identity()));
        List<Key> keys = new ArrayList<>(rows.size());
        for (KeyTable.Row r : rows) {
            Key k = known.get(r.kid());
            keys.add(k != null ? k : Key.of(r));
        }
        ring = new Ring(keys);
    }

    private boolean due(List<KeyTable.Row> rows, long now) {
        return rows.isEmpty() || rows.getFirst().notBeforeMs() + rotation.toMillis() - LEAD.toMillis() <= now;
    }

    private long nextNotBefore(List<KeyTable.Row> rows, long now) {
        // The first key of a new database signs at once: no replica can be waiting for an older one.
        return rows.isEmpty() ? now : Math.max(rows.getFirst().notBeforeMs() + rotation.toMillis(), now + LEAD.toMillis());
    }

    /** A key retires when its successor starts signing; it is needed until that moment plus one token lifetime. */
    private List<String> droppable(List<KeyTable.Row> newestFirst, long now) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < newestFirst.size(); i++) {
            if (newestFirst.get(i - 1).notBeforeMs() + tokenLifetime.toMillis() < now) {
                out.add(newestFirst.get(i).kid());
            }
        }
        return out;
    }

    private static KeyTable.Row newRow(long notBefore, long now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        return new KeyTable.Row(HexFormat.of().formatHex(id), Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
                notBefore, now);
    }

    /** One key; it signs from {@code notBeforeMs} until a newer key's time comes. */
    public record Key(String kid, MACSigner signer, MACVerifier verifier, long notBeforeMs) {
        static Key of(KeyTable.Row r) {
            byte[] secret = Base64.getUrlDecoder().decode(r.secret());
            try {
                return new Key(r.kid(), new MACSigner(secret), new MACVerifier(secret), r.notBeforeMs());
            } catch (JOSEException e) {
                throw new IllegalStateException("signing key " + r.kid() + " is not a 256-bit HMAC key", e);
            }
        }
    }

    private record Ring(List<Key> keys, Map<String, MACVerifier> byKid) {
        Ring(List<Key> keys) {
            this(List.copyOf(keys), keys.stream().collect(Collectors.toUnmodifiableMap(Key::kid, Key::verifier)));
        }
    }
}
