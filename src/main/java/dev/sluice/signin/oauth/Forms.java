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
 * §3.2 and RFC 8628 §3.1 require. A field given twice fails the read ({@link Refused}): RFC 6749 §3.1 forbids it
 * and §5.2 names it an {@code invalid_request}, and a proxy in front that reads the other copy would judge another
 * request than the one answered. Only {@code &} separates fields, as the form encoding has it.
 */
public final class Forms {
    /** Far above any form these endpoints take (a refresh token is 43 characters). */
    public static final int MAX_BYTES = 8 * 1024;
    static final int MAX_FIELDS = 64;

    private Forms() {
    }

    /**
     * The fields, or a failed future: {@link TooLarge} once the body passes {@link #MAX_BYTES}, {@link Refused} for a
     * field given twice or too many fields.
     */
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
        req.endHandler(v -> {
            try {
                done.tryComplete(parse(body.toString(StandardCharsets.UTF_8)));
            } catch (Refused e) {
                done.tryFail(e);
            }
        });
        return done.future();
    }

    /** Decodes form text; an undecodable form is one without fields. Throws {@link Refused} for a field given twice or too many. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        try {
            Map<String, List<String>> raw = QueryStringDecoder.builder().hasPath(false).maxParams(MAX_FIELDS + 1)
                    .semicolonIsNormalChar(true).build(text).parameters();
            if (raw.values().stream().mapToInt(List::size).sum() > MAX_FIELDS) {
                throw new Refused("more than " + MAX_FIELDS + " fields"); // past the cap the decoder drops them unseen
            }
            for (Map.Entry<String, List<String>> e : raw.entrySet()) {
                if (e.getValue().size() > 1) {
                    throw new Refused(bounded(e.getKey()) + " is given more than once");
                }
                if (!e.getValue().isEmpty()) {
                    out.put(e.getKey(), e.getValue().getFirst());
                }
            }
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

    private static String bounded(String field) {
        return field.length() > 64 ? field.substring(0, 64) + "..." : field;
    }

    /** A form no endpoint takes: a field given more than once, or more fields than {@link #MAX_FIELDS}. */
    public static final class Refused extends RuntimeException {
        Refused(String why) {
            super(why, null, false, false);
        }
    }

    /** The body passed the cap. */
    public static final class TooLarge extends RuntimeException {
        TooLarge() {
            super("form body over " + MAX_BYTES + " bytes", null, false, false);
        }
    }
}
