package dev.sluice.guard.secrets;

import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * Decides whether a variable, key or flag name says its value is a secret. The whole name is judged, by
 * its ending: {@code DB_PASSWORD}, {@code clientSecret}, {@code GITHUB_TOKEN}, {@code stripe_api_key} are;
 * {@code max_tokens}, {@code password_hash}, {@code token_url}, {@code secretName}, {@code cache_key},
 * {@code publicKey} and {@code tokenizer} are not.
 */
final class SecretNames {
    static final int NONE = 0;
    static final int PASSWORD = 1;
    static final int SECRET = 2;

    private static final List<String> PASSWORD_ENDINGS = List.of("password", "passwd", "pwd", "passphrase");
    private static final List<String> SECRET_ENDINGS = List.of("secret", "token", "apikey", "accesskey", "privatekey",
            "credential", "credentials", "authkey", "secretkey", "signingkey", "masterkey", "encryptionkey");
    /** A name ending in plain "key" is secret only with one of these in it. */
    private static final List<String> KEY_QUALIFIERS = List.of("api", "secret", "private", "access", "auth", "encrypt",
            "sign", "master", "license", "client", "app", "service", "account", "session", "jwt", "webhook", "hmac", "crypt",
            "cipher", "aes", "bearer", "admin", "deploy", "ssh", "sendgrid", "mailgun", "stripe", "twilio", "openai",
            "anthropic", "github", "gitlab", "slack", "aws", "gcp", "azure", "google", "firebase", "supabase", "datadog",
            "sentry", "algolia", "pusher", "mapbox", "cohere", "mistral", "groq", "hf", "huggingface");
    /** Words that make the name about something else (a hash of it, where it is, how long it is). */
    private static final List<String> NOT_SECRET = List.of("hash", "digest", "file", "path", "url", "uri", "endpoint",
            "field", "length", "count", "expir", "header", "prefix", "regex", "pattern", "label", "hint", "placeholder",
            "validator", "policy", "format", "public", "cache", "partition", "idempotency", "confirm", "rotation", "reset",
            "strength", "manager", "provider", "location", "version", "template", "example", "sample", "dummy", "fake",
            "mock", "publishable", "type", "name", "ttl", "timeout", "limit", "usage", "budget", "estimate", "counter", "tokenizer");
    private static final List<String> NOT_SECRET_STARTS = List.of("max", "min", "num", "next", "page", "sort", "primary",
            "foreign", "total", "input", "output", "prompt", "completion");

    private SecretNames() {
    }

    static int classify(Text t, int from, int to) {
        int n = to - from;
        if (n < 3 || n > 64 || !mayEnd(t, from, to)) {
            return NONE;
        }
        // The name lower-cased without separators; most keyword hits ("tokens", "max_tokens", "tokenizer") fail on
        // the ending, which is checked first, before anything is allocated.
        byte[] compact = new byte[n];
        int len = 0;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            if (c != '_' && c != '-' && c != '.') {
                compact[len++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
        }
        int kind = ending(compact, len, t, to);
        if (kind == NONE) {
            return NONE;
        }
        if (NOT_SECRET_WORDS.in(compact, 0, len)) {
            return NONE;
        }
        for (byte[] bad : NOT_SECRET_START_BYTES) {
            if (len > bad.length && startsWith(compact, bad)) {
                return NONE;
            }
        }
        if (kind == KEY) {
            return KEY_QUALIFIER_WORDS.in(compact, 0, len - 3) ? SECRET : NONE;
        }
        return kind;
    }

    /** A name ending in plain "key": secret only with a qualifier in it. */
    private static final int KEY = 3;

    /**
     * False when no ending can match: the name's last letter (separators passed over, lower-cased) ends none of them.
     * Most keyword hits stop here ({@code tokenizer}, {@code secretName}, {@code token_url}), before the name is copied.
     */
    private static boolean mayEnd(Text t, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            int c = t.at(i);
            if (c != '_' && c != '-' && c != '.') {
                return LAST[c >= 'A' && c <= 'Z' ? c + 32 : c];
            }
        }
        return false;
    }

    private static int ending(byte[] name, int len, Text t, int to) {
        for (byte[] end : PASSWORD_BYTES) {
            if (endsWith(name, len, end)) {
                return PASSWORD;
            }
        }
        if (endsWith(name, len, PASS) && (len == 4 || separatorBefore(t, to - 4))) {
            return PASSWORD;
        }
        for (byte[] end : SECRET_BYTES) {
            if (endsWith(name, len, end)) {
                return SECRET;
            }
        }
        return endsWith(name, len, KEY_BYTES) ? KEY : NONE;
    }

    private static boolean endsWith(byte[] name, int len, byte[] end) {
        if (len < end.length) {
            return false;
        }
        for (int i = 0; i < end.length; i++) {
            if (name[len - end.length + i] != end[i]) {
                return false;
            }
        }
        return true;
    }

    private static final byte[] PASS = "pass".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] KEY_BYTES = "key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[][] PASSWORD_BYTES = PASSWORD_ENDINGS.stream()
            .map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    private static final byte[][] SECRET_BYTES = SECRET_ENDINGS.stream()
            .map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);
    /** The last letters of all endings, by byte value. */
    private static final boolean[] LAST = new boolean[256];

    static {
        for (byte[][] words : new byte[][][] {PASSWORD_BYTES, SECRET_BYTES, {PASS, KEY_BYTES}}) {
            for (byte[] w : words) {
                LAST[w[w.length - 1]] = true;
            }
        }
    }

    private static boolean startsWith(byte[] name, byte[] start) {
        for (int i = 0; i < start.length; i++) {
            if (name[i] != start[i]) {
                return false;
            }
        }
        return true;
    }

    private static final WordSet NOT_SECRET_WORDS = new WordSet(NOT_SECRET);
    private static final WordSet KEY_QUALIFIER_WORDS = new WordSet(KEY_QUALIFIERS);
    private static final byte[][] NOT_SECRET_START_BYTES = NOT_SECRET_STARTS.stream()
            .map(w -> w.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).toArray(byte[][]::new);

    private static boolean separatorBefore(Text t, int at) {
        if (at <= 0) {
            return false;
        }
        int c = t.at(at - 1);
        return c == '_' || c == '-' || c == '.' || (Character.isLowerCase(c) && Character.isUpperCase(t.at(at)));
    }
}
