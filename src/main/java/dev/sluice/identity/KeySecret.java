package dev.sluice.identity;

import java.time.Instant;

/**
 * One secret of a key, as listings show it: never the digest, only the display prefix.
 *
 * @param prefix    the key's first characters and an ellipsis, e.g. {@code sk-sluice-AbC1x9…}
 * @param retiresAt when a rotation retired this secret: it works until then; null while it is the current one
 */
public record KeySecret(String prefix, Instant createdAt, Instant retiresAt) {
}
