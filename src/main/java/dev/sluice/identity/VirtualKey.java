package dev.sluice.identity;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A key Sluice issued, without its secret.
 *
 * @param alias         human name, recorded in the ledger beside the id
 * @param tags          tags every request made with this key carries
 * @param monthlyCapUsd spend cap for this key per calendar month, or null for none
 * @param lifetime      how long the key lives from issue or rotation, or null for no expiry
 * @param expiresAt     when the key stops working, or null
 * @param revokedAt     when the key was revoked, or null
 * @param secrets       its secrets, newest first: one, or more while a rotation's grace period runs
 */
public record VirtualKey(String id, String alias, String userId, Map<String, String> tags, BigDecimal monthlyCapUsd,
                         Duration lifetime, Instant createdAt, Instant expiresAt, Instant revokedAt,
                         List<KeySecret> secrets) {

    public KeyStatus status(Instant now) {
        if (revokedAt != null) {
            return KeyStatus.REVOKED;
        }
        return expiresAt != null && !now.isBefore(expiresAt) ? KeyStatus.EXPIRED : KeyStatus.ACTIVE;
    }

    /** The display prefix of the current secret. */
    public String prefix() {
        return secrets.isEmpty() ? "" : secrets.getFirst().prefix();
    }
}
