package dev.sluice.identity;

import java.time.Instant;

/** A team inside an organization. Disabling it stops every key of its users. */
public record Team(String id, String orgId, String name, boolean disabled, Instant createdAt) {
}
