package dev.sluice.identity;

import java.time.Instant;

/** An organization: the top of the ownership tree. Disabling it stops every key below it. */
public record Org(String id, String name, boolean disabled, Instant createdAt) {
}
