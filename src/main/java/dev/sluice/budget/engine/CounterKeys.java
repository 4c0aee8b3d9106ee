package dev.sluice.budget.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Counter key parts. Ids and tag values can come from clients (an {@code x-sluice-tag-*} header), so anything that
 * is not a short plain token is replaced by a digest: keys stay bounded and cannot break the key grammar.
 */
final class CounterKeys {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_.@\\-]{1,64}");

    private CounterKeys() {
    }

    static String part(String raw) {
        if (raw == null) {
            return "-";
        }
        if (PLAIN.matcher(raw).matches()) {
            return raw;
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return "h" + HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tenant: the caller's org, so one request's keys share a Redis Cluster slot. */
    static String tenant(String orgId) {
        return part(orgId);
    }
}
