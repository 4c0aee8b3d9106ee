package dev.sluice.cache.store;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where an entry lives: its organization (always the first part: no lookup can reach another org's
 * entries), its scope within the org, its namespace and the request key.
 *
 * @param org       organization id ({@code "-"} when the caller has none, as in open local mode)
 * @param scope     scope within the org, e.g. {@code org}, {@code team:payments}, {@code user:ana}, {@code key:k1}
 * @param namespace namespace ({@code ""} for none), e.g. a git SHA a CI deploy sets
 * @param k0        first half of the request key
 * @param k1        second half of the request key
 */
public record StoreKey(String org, String scope, String namespace, long k0, long k1) {
    public StoreKey {
        Objects.requireNonNull(org, "org");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(namespace, "namespace");
    }

    public static StoreKey of(String org, String scope, String namespace, byte[] requestKey) {
        if (requestKey.length != 16) {
            throw new IllegalArgumentException("request key: " + requestKey.length + " bytes (expected: 16)");
        }
        ByteBuffer b = ByteBuffer.wrap(requestKey);
        return new StoreKey(org, scope, namespace, b.getLong(), b.getLong());
    }

    public String keyHex() {
        return HexFormat.of().toHexDigits(k0) + HexFormat.of().toHexDigits(k1);
    }

    /** True when this key falls under a bust of {@code scope} in {@code org} (and {@code namespace}, unless null). */
    public boolean within(String org, String scope, String namespace) {
        return this.org.equals(org) && this.scope.equals(scope) && (namespace == null || this.namespace.equals(namespace));
    }
}
