package dev.sluice.identity;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A person or machine (a CI runner) that owns keys.
 *
 * @param email         optional contact, shown in listings only
 * @param tags          tags every key of this user carries (a key's own tags win on the same name)
 * @param monthlyCapUsd spend cap over all this user's keys per calendar month, or null for none
 */
public record User(String id, String teamId, String name, String email, Map<String, String> tags,
                   BigDecimal monthlyCapUsd, boolean disabled, Instant createdAt) {
}
