package dev.sluice.sim;

import java.util.concurrent.ThreadLocalRandom;

/** Identifiers shaped like Anthropic's: a type prefix, {@code 01}, then 22 base62 characters. */
final class Ids {

    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private Ids() {
    }

    static String messageId() {
        return random("msg_01", 22);
    }

    static String batchId() {
        return random("msgbatch_01", 22);
    }

    static String toolUseId() {
        return random("toolu_01", 22);
    }

    static String requestId() {
        return random("req_011C", 20);
    }

    static String signature() {
        return random("Eu", 86);
    }

    private static String random(String prefix, int length) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(prefix.length() + length).append(prefix);
        for (int i = 0; i < length; i++) {
            id.append(BASE62[random.nextInt(BASE62.length)]);
        }
        return id.toString();
    }
}
