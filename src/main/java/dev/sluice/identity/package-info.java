/**
 * Identity: organizations, teams, users and the virtual keys Sluice issues to them.
 *
 * <p>{@link dev.sluice.identity.IdentityStore} reads and writes them in the database (blocking JDBC; the admin
 * API and the CLI are its callers). {@link dev.sluice.identity.KeyRegistry} is what the gateway consults on
 * every request: an in-memory snapshot of the usable keys, keyed by SHA-256 digest, refreshed in the
 * background, so authenticating never waits on the database.
 *
 * <p>A key ({@code sk-sluice-} + 43 base62 characters, about 256 random bits) is shown once when issued and
 * stored only as its digest plus a short display prefix. Rotation adds a new secret to the same key id, so
 * spend, reports and caps keep following one key; the old secret works until the grace period ends.
 */
package dev.sluice.identity;
