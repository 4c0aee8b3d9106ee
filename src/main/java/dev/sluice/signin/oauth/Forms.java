package dev.sluice.signin.oauth;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a small {@code application/x-www-form-urlencoded} body with a hard cap, for the OAuth
 * endpoints and the verification page. Unknown fields are kept and ignored by callers, as RFC 6749
 * §3.2 and RFC 8628 §3.1 require; a repeated field keeps its first value.
 */
public final class Forms {
    /** Far above any form these endpoints take (a refresh token is 43 characters). */
    public static final int MAX_BYTES = 8 * 1024;
    static final int MAX_FIELDS = 64;

    private Forms() {
    }

    /** The fields, or a failed future with {@link TooLarge} once the body passes {@link #MAX_BYTES}. */
    public static Future<Map<String, String>> read(HttpServerRequest req) {
        Promise<Map<String, String>> done = Promise.promise();
        String declared = req.getHeader("content-length");
        if (declared != null && parseLong(declared) > MAX_BYTES) {
            return Future.failedFuture(new TooLarge());
        }
        Buffer body = Buffer.buffer();
        req.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BYTES) {
                req.handler(null);
                done.tryFail(new TooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        req.exceptionHandler(done::tryFail);
        req.endHandler(v -> done.tryComplete(parse(body.toString(StandardCharsets.UTF_8))));
        return done.future();
    }

    /** Decodes form text; malformed escapes are taken literally rather than failing the request. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        try {
            Map<String, List<String>> raw = new QueryStringDecoder(text, StandardCharsets.UTF_8, false, MAX_FIELDS).parameters();
            raw.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    out.put(k, v.getFirst());
                }
            });
        } catch (IllegalArgumentException e) {
            return out; // an undecodable form holds no field we could use
        }
        return out;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The body passed the cap. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("form body over " + MAX_BYTES + " bytes", null, false, false);
        }
    }
}
