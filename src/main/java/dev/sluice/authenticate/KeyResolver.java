package dev.sluice.authenticate;

import dev.sluice.pipeline.Identity;

/** Finds the identity a presented key belongs to. Implementations compare in constant time. */
public interface KeyResolver {
    /** The identity for this key, or null if the key is unknown, revoked or expired. */
    Identity resolve(String presentedKey);

    /** True when there are no keys at all, which puts the gateway in open local mode. */
    boolean isEmpty();
}
