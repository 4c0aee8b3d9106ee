package dev.sluice.signin.session;

import dev.sluice.pipeline.Identity;
import java.time.Instant;

/**
 * One sign-in: what it was for and until when it may be refreshed, as stored in {@code
 * signin_sessions}. Immutable; a refresh writes a new version of the row.
 *
 * @param sid            session id, the {@code sid} claim of every token issued for it
 * @param user           who signed in
 * @param identity       the identity requests of this session resolve to (built once, not per request)
 * @param surface        the client application that signed in ({@code claude_code}), or null
 * @param createdAt      when the device code was approved
 * @param refreshDigest  hex SHA-256 of the current refresh token
 * @param refreshExpires when the current refresh token stops working
 * @param seq            the store version that last wrote this session (replicas apply only newer versions)
 */
public record Session(String sid, SignedInUser user, Identity identity, String surface, Instant createdAt,
                      String refreshDigest, Instant refreshExpires, long seq) {
    public Session(String sid, SignedInUser user, String surface, Instant createdAt, String refreshDigest,
                   Instant refreshExpires, long seq) {
        this(sid, user, user.identity(), surface, createdAt, refreshDigest, refreshExpires, seq);
    }
}
