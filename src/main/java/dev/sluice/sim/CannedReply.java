package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.List;

/**
 * The {@code canned} mode answer: no JSON parsing, a fixed five-token text reply, streamed when the body
 * contains {@code "stream":true}. Input tokens are estimated from the body size. This is the fastest
 * upstream the simulator can be, for benchmarking the gateway in front of it.
 */
final class CannedReply {

    static final String FALLBACK_MODEL = "claude-sim-canned";
    private static final ReplyPlan PLAN = new ReplyPlan(
            List.of(new ReplyBlock.Text(FillerText.words(5, false, 0))), "end_turn");

    private CannedReply() {
    }

    static void send(SimExchange exchange, SimDirectives directives) {
        FaultPlan fault = directives.fault();
        if (fault.reset()) {
            exchange.reset(null);
            return;
        }
        if (fault.status() != 0) {
            exchange.reject(ApiException.forFaultStatus(fault.status()), null);
            return;
        }
        byte[] body = exchange.body();
        String model = stringField(body, "model");
        CacheUsage cache = CacheUsage.uncached(Tokenizer.ofBytes(body.length));
        String messageId = Ids.messageId();
        String resolvedModel = model == null ? FALLBACK_MODEL : model;
        if (isStream(body)) {
            new StreamSession(exchange, messageId, resolvedModel, PLAN, cache, directives).start();
        } else {
            new NonStreamReply(exchange, messageId, resolvedModel, PLAN, cache, directives).send();
        }
    }

    /** True if the body holds {@code "stream"} followed by optional spaces, a colon, spaces and {@code true}. */
    static boolean isStream(byte[] body) {
        int value = valueStart(body, "stream");
        return value >= 0 && value + 4 <= body.length
                && body[value] == 't' && body[value + 1] == 'r' && body[value + 2] == 'u' && body[value + 3] == 'e';
    }

    /** The first string value of a top-level-looking {@code "name": "..."} pair, without unescaping; or null. */
    static String stringField(byte[] body, String name) {
        int value = valueStart(body, name);
        if (value < 0 || value >= body.length || body[value] != '"') {
            return null;
        }
        for (int end = value + 1; end < body.length; end++) {
            if (body[end] == '\\') {
                return null; // escaped ids are not worth decoding here
            }
            if (body[end] == '"') {
                return new String(body, value + 1, end - value - 1, UTF_8);
            }
        }
        return null;
    }

    /** Index of the first byte of the value after {@code "name":}, or -1. */
    private static int valueStart(byte[] body, String name) {
        byte[] key = ('"' + name + '"').getBytes(UTF_8);
        outer:
        for (int i = 0; i + key.length <= body.length; i++) {
            for (int k = 0; k < key.length; k++) {
                if (body[i + k] != key[k]) {
                    continue outer;
                }
            }
            int j = skipSpaces(body, i + key.length);
            if (j < body.length && body[j] == ':') {
                return skipSpaces(body, j + 1);
            }
        }
        return -1;
    }

    private static int skipSpaces(byte[] body, int from) {
        int i = from;
        while (i < body.length && (body[i] == ' ' || body[i] == '\t' || body[i] == '\n' || body[i] == '\r')) {
            i++;
        }
        return i;
    }
}
