package dev.sluice.signin.verify;

import dev.sluice.signin.session.Secrets;
import dev.sluice.signin.store.SigninDb;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Browser sign-ins under way at the IdP, keyed by the OAuth {@code state} sent there (stored as its
 * digest), in {@code signin_login_flows}: the IdP may send the browser back to any replica. Each
 * holds the PKCE verifier (RFC 7636, S256) and the nonce, and the user code it will approve. Single
 * use, short-lived, bounded (a soft bound: replicas racing may pass it by a few).
 *
 * <p>Every method blocks on the database: call it from a worker thread.
 */
public final class LoginFlows {
    private final SigninDb db;
    private final Clock clock;
    private final Duration ttl;
    private final int max;

    public LoginFlows(SigninDb db, Clock clock, Duration ttl, int max) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
        this.max = max;
    }

    /** A new flow for a user code, bound to no browser (tests and tools); null when too many are under way. */
    public Flow start(String userCode) {
        return start(userCode, "");
    }

    /**
     * A new flow for a user code, bound to the browser that started it ({@code browser}: its sign-in cookie):
     * the state is stored as the digest of state and cookie, so the IdP's answer is taken only in that browser
     * (RFC 6749 §10.12). Null when too many are under way.
     */
    public Flow start(String userCode, String browser) {
        long now = clock.millis();
        Flow f = new Flow(Secrets.random(24), Secrets.random(32), Secrets.random(16), userCode, Instant.ofEpochMilli(now).plus(ttl));
        boolean started = db.run("start a browser sign-in", c -> {
            if (SigninDb.one(c, "SELECT COUNT(*) FROM signin_login_flows WHERE expires_ms > ?", rs -> rs.getLong(1), now) >= max) {
                return false;
            }
            SigninDb.update(c, "INSERT INTO signin_login_flows (state_digest, verifier, nonce, user_code, expires_ms)"
                    + " VALUES (?, ?, ?, ?, ?)", key(f.state(), browser), f.verifier(), f.nonce(), f.userCode(), f.expires().toEpochMilli());
            return true;
        });
        return started ? f : null;
    }

    /** As {@link #finish(String, String)} for a flow bound to no browser. */
    public Flow finish(String state) {
        return finish(state, "");
    }

    /**
     * Takes the flow for a state in the browser that started it (it works once: the caller whose delete removed
     * it), or null when unknown, expired, or started in another browser.
     */
    public Flow finish(String state, String browser) {
        if (state == null || state.length() > 64 || browser == null) {
            return null;
        }
        String digest = key(state, browser);
        long now = clock.millis();
        return db.run("finish a browser sign-in", c -> {
            Flow f = SigninDb.one(c, "SELECT verifier, nonce, user_code, expires_ms FROM signin_login_flows WHERE state_digest = ?",
                    rs -> new Flow(state, rs.getString(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4))),
                    digest);
            if (f == null || SigninDb.update(c, "DELETE FROM signin_login_flows WHERE state_digest = ?", digest) != 1) {
                return null;
            }
            return f.expires().toEpochMilli() > now ? f : null;
        });
    }

    private static String key(String state, String browser) {
        return Secrets.digest(browser.isEmpty() ? state : state + "|" + browser);
    }

    /** Deletes expired flows; returns how many. */
    public int sweep() {
        long now = clock.millis();
        return db.run("sweep browser sign-ins", c -> SigninDb.update(c, "DELETE FROM signin_login_flows WHERE expires_ms <= ?", now));
    }

    /** One browser sign-in. */
    public record Flow(String state, String verifier, String nonce, String userCode, Instant expires) {
        /** The S256 challenge of the verifier. */
        public String challenge() {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }
}
