package dev.sluice.signin.oauth;

import dev.sluice.signin.session.Secrets;
import dev.sluice.signin.session.SignedInUser;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pending device authorizations (RFC 8628). A device code is 256 random bits, kept only as its
 * SHA-256 digest, and works once: the poll that collects an approval removes it. A user code maps to
 * at most one pending grant. Bounded by {@code maxPending}; expired grants are kept a little longer
 * so a late poll hears {@code expired_token} rather than {@code invalid_grant}, then swept.
 */
public final class DeviceGrants {
    private static final Duration SLOW_DOWN_STEP = Duration.ofSeconds(5);
    private static final Duration KEEP_EXPIRED = Duration.ofMinutes(10);

    private final Clock clock;
    private final Duration ttl;
    private final Duration interval;
    private final int maxPending;
    private final Map<String, Grant> byDevice = new ConcurrentHashMap<>();
    private final Map<String, Grant> byUserCode = new ConcurrentHashMap<>();

    public DeviceGrants(Clock clock, Duration ttl, Duration interval, int maxPending) {
        this.clock = clock;
        this.ttl = ttl;
        this.interval = interval;
        this.maxPending = maxPending;
    }

    /** A new grant, or null when too many are pending. */
    public synchronized Created create(String surface) {
        sweep();
        if (byDevice.size() >= maxPending) {
            return null;
        }
        String deviceCode = Secrets.random(32);
        String userCode;
        do {
            userCode = UserCodes.next();
        } while (byUserCode.containsKey(userCode));
        Instant now = clock.instant();
        Grant g = new Grant(Secrets.digest(deviceCode), userCode, surface, now.plus(ttl), interval);
        byDevice.put(g.deviceDigest, g);
        byUserCode.put(userCode, g);
        return new Created(deviceCode, userCode, ttl, interval);
    }

    /** The pending, unexpired grant a person's code names, or null. */
    public Grant pending(String typedUserCode) {
        String code = UserCodes.normalize(typedUserCode);
        Grant g = code == null ? null : byUserCode.get(code);
        return g != null && g.state() == State.PENDING && clock.instant().isBefore(g.expires) ? g : null;
    }

    /** Approves a pending grant for a signed-in developer; false when it is no longer pending. */
    public boolean approve(Grant g, SignedInUser user) {
        return g.settle(State.APPROVED, user, clock.instant());
    }

    /** The person declined on the verification page. */
    public boolean deny(Grant g) {
        return g.settle(State.DENIED, null, clock.instant());
    }

    /** What a token poll with this device code learns. An approval is handed out once. */
    public Poll poll(String deviceCode) {
        if (deviceCode == null || deviceCode.length() > 128) {
            return Poll.of(Outcome.INVALID);
        }
        Grant g = byDevice.get(Secrets.digest(deviceCode));
        if (g == null) {
            return Poll.of(Outcome.INVALID);
        }
        Instant now = clock.instant();
        synchronized (g) {
            if (g.state == State.APPROVED) {
                forget(g);
                g.state = State.USED;
                return new Poll(Outcome.APPROVED, g.user, g.surface);
            }
            if (g.state == State.DENIED) {
                forget(g);
                return Poll.of(Outcome.DENIED);
            }
            if (g.state == State.USED) {
                return Poll.of(Outcome.INVALID);
            }
            if (!now.isBefore(g.expires)) {
                return Poll.of(Outcome.EXPIRED);
            }
            // RFC 8628 §3.5: polling faster than the interval earns slow_down and a longer interval. A fifth
            // of the interval as slack keeps a client on time whose previous poll was merely delayed in transit.
            boolean tooSoon = g.lastPoll != null && now.isBefore(g.lastPoll.plus(g.interval.multipliedBy(4).dividedBy(5)));
            g.lastPoll = now;
            if (tooSoon) {
                g.interval = g.interval.plus(SLOW_DOWN_STEP);
                return Poll.of(Outcome.SLOW_DOWN);
            }
            return Poll.of(Outcome.PENDING);
        }
    }

    public int size() {
        return byDevice.size();
    }

    private void forget(Grant g) {
        byDevice.remove(g.deviceDigest);
        byUserCode.remove(g.userCode, g);
    }

    private void sweep() {
        Instant cutoff = clock.instant().minus(KEEP_EXPIRED);
        for (Grant g : java.util.List.copyOf(byDevice.values())) {
            if (g.expires.isBefore(cutoff)) {
                forget(g);
            }
        }
    }

    /** Where a grant is in its life. */
    public enum State { PENDING, APPROVED, DENIED, USED }

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

    /** One device authorization. */
    public static final class Grant {
        private final String deviceDigest;
        private final String userCode;
        private final String surface;
        private final Instant expires;
        private Duration interval;
        private Instant lastPoll;
        private State state = State.PENDING;
        private SignedInUser user;

        Grant(String deviceDigest, String userCode, String surface, Instant expires, Duration interval) {
            this.deviceDigest = deviceDigest;
            this.userCode = userCode;
            this.surface = surface;
            this.expires = expires;
            this.interval = interval;
        }

        public String userCode() {
            return userCode;
        }

        public String surface() {
            return surface;
        }

        public synchronized State state() {
            return state;
        }

        synchronized boolean settle(State to, SignedInUser who, Instant now) {
            if (state != State.PENDING || !now.isBefore(expires)) {
                return false;
            }
            state = to;
            user = who;
            return true;
        }
    }
}
