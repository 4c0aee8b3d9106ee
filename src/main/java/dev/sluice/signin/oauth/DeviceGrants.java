package dev.sluice.signin.oauth;

import dev.sluice.signin.session.Secrets;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.signin.store.SigninDb;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Pending device authorizations (RFC 8628), in {@code signin_device_grants} so that the device
 * request, the verification page and the polls may each reach a different replica, and a restart
 * loses no sign-in under way. A device code is 256 random bits, kept only as its SHA-256 digest, and
 * works once: the poll that collects an approval deletes the grant. Bounded by {@code maxPending}
 * (checked before each insert, so replicas racing may pass it by a few); expired grants are kept a
 * little longer so a late poll hears {@code expired_token} rather than {@code invalid_grant}, then swept.
 *
 * <p>Every method blocks on the database: call it from a worker thread.
 */
public final class DeviceGrants {
    static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    static final Duration KEEP_EXPIRED = Duration.ofMinutes(10);
    private static final int CODE_TRIES = 5;

    private final SigninDb db;
    private final Clock clock;
    private final Duration ttl;
    private final Duration interval;
    private final int maxPending;

    public DeviceGrants(SigninDb db, Clock clock, Duration ttl, Duration interval, int maxPending) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
        this.interval = interval;
        this.maxPending = maxPending;
    }

    /** A new grant, or null when too many are pending. */
    public Created create(String surface) {
        return create(surface, null, null);
    }

    /**
     * A new grant, or null when too many are pending. {@code address} and {@code agent} describe the client that
     * asked for it (shown to the developer before they approve it); both may be null and are bounded here.
     */
    public Created create(String surface, String address, String agent) {
        long now = clock.millis();
        if (db.run("count pending grants", c -> GrantTable.countPending(c, now)) >= maxPending) {
            return null;
        }
        String deviceCode = Secrets.random(32);
        for (int attempt = 1; ; attempt++) {
            // A user code may collide with another pending one (1 in 25 billion per pair); the unique index says so.
            String userCode = UserCodes.next();
            GrantTable.Row row = new GrantTable.Row(Secrets.digest(deviceCode), userCode, surface, "pending",
                    now + ttl.toMillis(), interval.toMillis(), null, now, printable(address, 64), printable(agent, 200), null);
            try {
                db.run("create a device grant", c -> {
                    GrantTable.insert(c, row);
                    return null;
                });
                return new Created(deviceCode, userCode, ttl, interval);
            } catch (SigninDb.StoreException e) {
                if (attempt == CODE_TRIES || !(e.getCause() instanceof SQLException)) {
                    throw e;
                }
            }
        }
    }

    /** The pending, unexpired grant a person's code names, or null. */
    public Grant pending(String typedUserCode) {
        String code = UserCodes.normalize(typedUserCode);
        if (code == null) {
            return null;
        }
        long now = clock.millis();
        GrantTable.Row r = db.run("find a pending grant", c -> GrantTable.pendingByUserCode(c, code, now));
        return r == null ? null : new Grant(r.deviceDigest(), r.userCode(), r.surface(), java.time.Instant.ofEpochMilli(r.createdMs()),
                r.clientAddress(), r.clientAgent(), r.confirmDigest(), r.userJson());
    }

    /**
     * Keeps the developer the IdP signed in beside the grant until they confirm on the verification page;
     * {@code confirmDigest} is the digest of the secret that confirmation must present. False when no longer pending.
     */
    public boolean awaitConfirmation(Grant g, SignedInUser user, String confirmDigest) {
        long now = clock.millis();
        return db.run("hold a device grant for confirmation",
                c -> GrantTable.awaitConfirmation(c, g.deviceDigest, user.toJson(), confirmDigest, now));
    }

    /**
     * The developer's answer on the confirmation page: approves (for the developer held beside the grant, returned)
     * or denies it, only when {@code confirmDigest} is the confirmation the grant waits for. Null when it is not
     * (another sign-in replaced it, it expired, or it was already answered).
     */
    public SignedInUser confirm(Grant g, String confirmDigest, boolean approve) {
        if (g.confirmDigest() == null || !g.confirmDigest().equals(confirmDigest) || g.waitingUserJson() == null) {
            return null;
        }
        long now = clock.millis();
        boolean settled = db.run("confirm a device grant",
                c -> GrantTable.settleConfirmed(c, g.deviceDigest, confirmDigest, approve ? "approved" : "denied", now));
        return settled ? SignedInUser.fromJson(g.waitingUserJson()) : null;
    }

    /** Printable ASCII only, at most {@code max} characters; null stays null. */
    static String printable(String s, int max) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        return b.toString();
    }

    /** Approves a pending grant for a signed-in developer; false when it is no longer pending. */
    public boolean approve(Grant g, SignedInUser user) {
        long now = clock.millis();
        return db.run("approve a device grant", c -> GrantTable.settle(c, g.deviceDigest, "approved", user.toJson(), now));
    }

    /** The person declined on the verification page (or the IdP or directory refused them). */
    public boolean deny(Grant g) {
        long now = clock.millis();
        return db.run("deny a device grant", c -> GrantTable.settle(c, g.deviceDigest, "denied", null, now));
    }

    /** What a token poll with this device code learns. An approval is handed out once. */
    public Poll poll(String deviceCode) {
        if (deviceCode == null || deviceCode.length() > 128) {
            return Poll.of(Outcome.INVALID);
        }
        String digest = Secrets.digest(deviceCode);
        long now = clock.millis();
        return db.run("poll a device grant", c -> {
            GrantTable.Row r = GrantTable.byDevice(c, digest);
            if (r == null) {
                return Poll.of(Outcome.INVALID);
            }
            switch (r.state()) {
                case "approved" -> {
                    return GrantTable.take(c, digest, "approved")
                            ? new Poll(Outcome.APPROVED, SignedInUser.fromJson(r.userJson()), r.surface()) : Poll.of(Outcome.INVALID);
                }
                case "denied" -> {
                    return GrantTable.take(c, digest, "denied") ? Poll.of(Outcome.DENIED) : Poll.of(Outcome.INVALID);
                }
                default -> {
                    if (now >= r.expiresMs()) {
                        return Poll.of(Outcome.EXPIRED);
                    }
                    // RFC 8628 §3.5: polling faster than the interval earns slow_down and a longer interval. A fifth
                    // of the interval as slack keeps a client on time whose previous poll was merely delayed in transit.
                    if (GrantTable.onTime(c, digest, now)) {
                        return Poll.of(Outcome.PENDING);
                    }
                    GrantTable.slowDown(c, digest, now, SLOW_DOWN_STEP.toMillis());
                    return Poll.of(Outcome.SLOW_DOWN);
                }
            }
        });
    }

    /** Deletes grants expired long enough ago that no client still polls them; returns how many. */
    public int sweep() {
        long cutoff = clock.millis() - KEEP_EXPIRED.toMillis();
        return db.run("sweep device grants", c -> GrantTable.sweep(c, cutoff));
    }

    /** What a poll answers. */
    public enum Outcome { PENDING, SLOW_DOWN, APPROVED, DENIED, EXPIRED, INVALID }

    /** A poll's answer; {@code user} and {@code surface} only with {@link Outcome#APPROVED}. */
    public record Poll(Outcome outcome, SignedInUser user, String surface) {
        static Poll of(Outcome o) {
            return new Poll(o, null, null);
        }
    }

    /** What the device authorization endpoint hands out; the device code exists nowhere else. */
    public record Created(String deviceCode, String userCode, Duration expiresIn, Duration interval) {
    }

    /**
     * A pending grant as the verification page sees it: what asked for it, and the sign-in waiting for the
     * developer's confirmation, if any.
     *
     * @param created         when the client asked for the code
     * @param clientAddress   the address the client asked from, or null
     * @param clientAgent     its user agent, or null
     * @param confirmDigest   the digest of the confirmation secret a sign-in waits for, or null
     * @param waitingUserJson the developer that sign-in admitted, or null
     */
    public record Grant(String deviceDigest, String userCode, String surface, java.time.Instant created, String clientAddress,
                        String clientAgent, String confirmDigest, String waitingUserJson) {
    }
}
