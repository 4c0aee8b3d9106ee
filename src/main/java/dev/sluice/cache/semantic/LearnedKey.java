package dev.sluice.cache.semantic;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a learned threshold is kept under: the index scope (org, scope, namespace) and the entry. An entry's id is its
 * request key, which does not name the org, so two orgs asking the same question have entries with one id; keyed by
 * the id alone, one org's thumbs-down raised the other's bar. The scope goes in as a short hash: the key is also what
 * replicas publish to each other, one line of a Redis message.
 */
final class LearnedKey {
    private LearnedKey() {
    }

    /** The scope's tag: 16 hex digits of its SHA-256. */
    static String tag(String scope) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(scope.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static String of(String tag, String entryId) {
        return tag + ':' + entryId;
    }
}
