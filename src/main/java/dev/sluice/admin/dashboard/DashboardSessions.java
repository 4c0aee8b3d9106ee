package dev.sluice.admin.dashboard;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dashboard's signed-in browsers. A sign-in with an admin credential of either role opens a session: a random
 * 256-bit token that goes to the browser as an {@code HttpOnly} cookie and is kept here only as its SHA-256, so a
 * heap dump shows no usable token. A session only reads (the dashboard has no change to make), ends at a fixed
 * lifetime (no sliding: a stolen cookie stops working at the same hour) or at sign-out, and at most
 * {@link #PER_CREDENTIAL} per admin credential and {@link #MAX_SESSIONS} in all live at once: past either bound the
 * oldest goes (the credential's own first), so one key signing in over and over ends only its own older sessions.
 */
final class DashboardSessions {
    static final int MAX_SESSIONS = 1000;
    static final int PER_CREDENTIAL = 50;
    static final Duration LIFETIME = Duration.ofHours(8);

    /** Who signed in and until when; {@code who} is the admin credential's configured name. */
    record Session(String who, Instant opened, Instant expires) {
    }

    private final Map<String, Session> byDigest = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    DashboardSessions(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Opens a session for {@code who}; returns the token for the cookie, which is not kept. */
    String open(String who) {
        Instant now = clock.instant();
        sweep(now);
        while (byDigest.values().stream().filter(s -> s.who().equals(who)).count() >= PER_CREDENTIAL) {
            removeOldest(who);
        }
        while (byDigest.size() >= MAX_SESSIONS) {
            removeOldest(null);
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        byDigest.put(digest(token), new Session(who, now, now.plus(LIFETIME)));
        return token;
    }

    /** The live session of a presented token, or null (unknown, ended, or expired: an expired one is dropped). */
    Session find(String token) {
        if (token == null || token.length() != 43) {
            return null;
        }
        String d = digest(token);
        Session s = byDigest.get(d);
        if (s != null && !clock.instant().isBefore(s.expires())) {
            byDigest.remove(d);
            return null;
        }
        return s;
    }

    /** Ends the session of a presented token, if any. */
    void close(String token) {
        if (token != null) {
            byDigest.remove(digest(token));
        }
    }

    int size() {
        return byDigest.size();
    }

    /** Ends the oldest session, of {@code who} when not null. */
    private void removeOldest(String who) {
        byDigest.entrySet().stream().filter(e -> who == null || e.getValue().who().equals(who))
                .min(Map.Entry.comparingByValue((a, b) -> a.opened().compareTo(b.opened())))
                .ifPresent(oldest -> byDigest.remove(oldest.getKey()));
    }

    private void sweep(Instant now) {
        byDigest.values().removeIf(s -> !now.isBefore(s.expires()));
    }

    private static String digest(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
