package dev.sluice.identity;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/**
 * What {@link IdentityStore#issueKey} needs.
 *
 * @param alias         defaults to the user id
 * @param tags          may be null
 * @param monthlyCapUsd may be null for no cap
 * @param expiresIn     lifetime from now (and from each rotation), or null for no expiry
 */
public record NewKey(String userId, String alias, Map<String, String> tags, BigDecimal monthlyCapUsd,
                     Duration expiresIn) {
}
