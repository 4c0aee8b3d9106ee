package dev.sluice.identity;

import dev.sluice.pipeline.Identity;

/**
 * One usable secret as the registry holds it: its digest, the two times after which it stops working, and the
 * identity and caps it stands for, all resolved when the snapshot was loaded.
 *
 * @param retiresAtMs end of a rotation's grace period, or {@link Long#MAX_VALUE}
 * @param expiresAtMs the key's expiry, or {@link Long#MAX_VALUE}
 */
record ActiveKey(byte[] digest, long retiresAtMs, long expiresAtMs, Identity identity, MonthlyCaps caps) {

    boolean usableAt(long nowMs) {
        return nowMs < retiresAtMs && nowMs < expiresAtMs;
    }
}
