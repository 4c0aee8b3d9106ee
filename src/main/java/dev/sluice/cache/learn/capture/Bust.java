package dev.sluice.cache.learn.capture;

/**
 * A bust through this gateway's admin API, kept in the capture so the miss analysis can tell "busted" from
 * "expired". Busts made through another replica are in that replica's capture.
 *
 * @param namespace the busted namespace, or null for the whole scope
 */
public record Bust(long at, String org, String scope, String namespace) {
}
