package dev.sluice.identity;

import java.math.BigDecimal;
import java.util.Map;

/** What {@link IdentityStore#createUser} needs; {@code name} defaults to the id, the rest may be null. */
public record NewUser(String id, String teamId, String name, String email, Map<String, String> tags,
                      BigDecimal monthlyCapUsd) {
}
