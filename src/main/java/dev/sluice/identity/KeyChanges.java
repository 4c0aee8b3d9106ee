package dev.sluice.identity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Changes to a key. Null fields stay as they are; {@code tags} replaces all tags (empty map: none). */
public record KeyChanges(String alias, Map<String, String> tags, Change<BigDecimal> monthlyCapUsd,
                         Change<Instant> expiresAt) {
}
