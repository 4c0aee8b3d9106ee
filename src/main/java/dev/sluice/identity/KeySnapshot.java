package dev.sluice.identity;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the registry loads in one go.
 *
 * @param version the {@code identity_version} read before the rows
 * @param secrets usable secrets of keys that are not revoked and whose user, team and org are enabled
 * @param anyKeys whether any key was ever issued (revoked and expired ones count): only a database without keys
 *                leaves the gateway in open mode, so revoking the last key cannot open it
 * @param userCaps the monthly cap of every enabled user who has one, by user id, keys or not: a developer who signs in
 *                 instead of using a key is held to it too
 */
record KeySnapshot(long version, List<ActiveKey> secrets, boolean anyKeys, Map<String, BigDecimal> userCaps) {
}
