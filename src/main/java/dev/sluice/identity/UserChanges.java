package dev.sluice.identity;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Changes to a user. Null fields stay as they are; {@code tags} replaces all tags (empty map: none).
 *
 * @param teamId moves the user (and so the ownership of its keys) to another team
 */
public record UserChanges(String name, Change<String> email, String teamId, Map<String, String> tags,
                          Change<BigDecimal> monthlyCapUsd, Boolean disabled) {
}
