package dev.sluice.identity;

import java.util.List;

/**
 * What the registry loads in one go.
 *
 * @param version the {@code identity_version} read before the rows
 * @param secrets usable secrets of keys that are not revoked and whose user, team and org are enabled
 * @param anyKeys whether any key was ever issued (revoked and expired ones count): only a database without keys
 *                leaves the gateway in open mode, so revoking the last key cannot open it
 */
record KeySnapshot(long version, List<ActiveKey> secrets, boolean anyKeys) {
}
