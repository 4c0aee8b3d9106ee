package dev.sluice.upstream;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keeps the credential an attempt sent out of the error body relayed to the client. Some upstreams, and proxies in
 * front of them, quote the key they were given in a 401 or 500 ("invalid x-api-key: sk-…"); relayed as is, the
 * gateway's own upstream key would reach every developer whose request failed.
 */
final class CredentialEcho {
    /** Shorter values are not secrets worth a search (and would match ordinary text). */
    private static final int MIN_SECRET = 8;
    private static final byte[] REDACTED = "[credential removed by the gateway]".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> HEADERS = List.of("x-api-key", "authorization", "api-key", "x-goog-api-key");

    private CredentialEcho() {
    }

    /** The secret values in the headers an attempt sends: key headers, and a bearer token without its scheme. */
    static List<byte[]> sent(MultiMap headers) {
        List<byte[]> out = new ArrayList<>(2);
        for (String name : HEADERS) {
            String v = headers.get(name);
            if (v == null) {
                continue;
            }
            v = v.strip();
            int space = v.indexOf(' ');
            if (space > 0 && v.substring(0, space).toLowerCase(Locale.ROOT).matches("bearer|basic|token")) {
                v = v.substring(space + 1).strip();
            }
            if (v.length() >= MIN_SECRET) {
                out.add(v.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** {@code body} with every occurrence of a sent secret replaced; the same buffer when none occurs. */
    static Buffer scrub(Buffer body, List<byte[]> secrets) {
        if (secrets.isEmpty() || body.length() == 0) {
            return body;
        }
        byte[] b = body.getBytes();
        boolean changed = false;
        for (byte[] s : secrets) {
            int at = indexOf(b, s, 0);
            if (at < 0) {
                continue;
            }
            changed = true;
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(b.length);
            int from = 0;
            while (at >= 0) {
                out.write(b, from, at - from);
                out.write(REDACTED, 0, REDACTED.length);
                from = at + s.length;
                at = indexOf(b, s, from);
            }
            out.write(b, from, b.length - from);
            b = out.toByteArray();
        }
        return changed ? Buffer.buffer(b) : body;
    }

    /**
     * {@code text} (a failure's message, for the log) with every sent secret replaced: the HTTP layer quotes a header
     * value it refuses, and a log line must not carry the credential the attempt held.
     */
    static String scrub(String text, List<byte[]> secrets) {
        for (byte[] s : secrets) {
            String secret = new String(s, StandardCharsets.UTF_8);
            if (text.contains(secret)) {
                text = text.replace(secret, new String(REDACTED, StandardCharsets.US_ASCII));
            }
        }
        return text;
    }

    /**
     * Drops each response header whose value holds a sent secret (a debugging proxy's {@code x-debug-key}, an
     * upstream echoing the {@code authorization} it got): the client gets the answer without that header.
     */
    static MultiMap scrubHeaders(MultiMap headers, List<byte[]> secrets) {
        if (secrets.isEmpty()) {
            return headers;
        }
        String[] texts = new String[secrets.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = new String(secrets.get(i), StandardCharsets.UTF_8); // once per answer, not per header
        }
        List<String> names = null;
        for (var h : headers) {
            String v = h.getValue();
            if (v.length() >= MIN_SECRET && holdsAny(v, texts)) {
                (names == null ? names = new ArrayList<>(1) : names).add(h.getKey());
            }
        }
        if (names != null) {
            names.forEach(headers::remove);
        }
        return headers;
    }

    private static boolean holdsAny(String value, String[] secrets) {
        for (String s : secrets) {
            if (value.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] b, byte[] s, int from) {
        for (int i = from; i + s.length <= b.length; i++) {
            if (b[i] == s[0] && Arrays.equals(b, i, i + s.length, s, 0, s.length)) {
                return i;
            }
        }
        return -1;
    }
}
