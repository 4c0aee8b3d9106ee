package dev.sluice.sim.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;

/**
 * Anthropic-shaped ids and signatures drawn from a generator seeded with a hash of the request's meaningful
 * content: the same request always gets the same ids, two requests that differ get different ones.
 */
final class SeededIds {

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private final SplittableRandom random;

    SeededIds(String seedText) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(seedText.getBytes(UTF_8));
            random = new SplittableRandom(ByteBuffer.wrap(digest).getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM must provide SHA-256", e);
        }
    }

    String messageId() {
        return draw("msg_01", 22);
    }

    String toolUseId() {
        return draw("toolu_01", 22);
    }

    String signature() {
        return draw("Eu", 86);
    }

    private String draw(String prefix, int length) {
        StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }
}
