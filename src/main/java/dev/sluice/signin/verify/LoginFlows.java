package dev.sluice.signin.verify;

import dev.sluice.signin.session.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sign-ins under way at the IdP, keyed by the OAuth {@code state} sent there. Each holds the
 * PKCE verifier (RFC 7636, S256) and the nonce, and the user code it will approve. Single use,
 * short-lived, bounded.
 */
public final class LoginFlows {
    private final Clock clock;
    private final Duration ttl;
    private final int max;
    private final Map<String, Flow> byState = new ConcurrentHashMap<>();

    public LoginFlows(Clock clock, Duration ttl, int max) {
        this.clock = clock;
        this.ttl = ttl;
        this.max = max;
    }

    /** A new flow for a user code, or null when too many are under way. */
    public synchronized Flow start(String userCode) {
        Instant now = clock.instant();
        byState.values().removeIf(f -> !now.isBefore(f.expires()));
        if (byState.size() >= max) {
            return null;
        }
        Flow f = new Flow(Secrets.random(24), Secrets.random(32), Secrets.random(16), userCode, now.plus(ttl));
        byState.put(f.state(), f);
        return f;
    }

    /** Takes the flow for a state (it works once), or null when unknown or expired. */
    public Flow finish(String state) {
        if (state == null || state.length() > 64) {
            return null;
        }
        Flow f = byState.remove(state);
        return f != null && clock.instant().isBefore(f.expires()) ? f : null;
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
