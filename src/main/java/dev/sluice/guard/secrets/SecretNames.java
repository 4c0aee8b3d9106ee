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
        if (n < 3 || n > 64) {
            return NONE;
        }
        byte[] compact = new byte[n];
        int len = 0;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            if (c == '_' || c == '-' || c == '.') {
                continue;
            }
            compact[len++] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        String name = new String(compact, 0, len, java.nio.charset.StandardCharsets.ISO_8859_1);
        for (String bad : NOT_SECRET) {
            if (name.contains(bad)) {
                return NONE;
            }
        }
        for (String bad : NOT_SECRET_STARTS) {
            if (name.startsWith(bad) && name.length() > bad.length()) {
                return NONE;
            }
        }
        for (String end : PASSWORD_ENDINGS) {
            if (name.endsWith(end)) {
                return PASSWORD;
            }
        }
        if (name.endsWith("pass") && (name.length() == 4 || separatorBefore(t, to - 4))) {
            return PASSWORD;
        }
        for (String end : SECRET_ENDINGS) {
            if (name.endsWith(end)) {
                return SECRET;
            }
        }
        if (name.endsWith("key")) {
            String head = name.substring(0, name.length() - 3);
            for (String q : KEY_QUALIFIERS) {
                if (head.contains(q)) {
                    return SECRET;
                }
            }
        }
        return NONE;
    }

    private static boolean separatorBefore(Text t, int at) {
        if (at <= 0) {
            return false;
        }
        int c = t.at(at - 1);
        return c == '_' || c == '-' || c == '.' || (Character.isLowerCase(c) && Character.isUpperCase(t.at(at)));
    }
}
