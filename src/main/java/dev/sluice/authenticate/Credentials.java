package dev.sluice.authenticate;

import io.vertx.core.MultiMap;

/** Where a caller's key is found: a Bearer token wins over {@code x-api-key}, as Claude Code's gateway protocol says. */
public final class Credentials {
    private Credentials() {
    }

    /** True when the credential came as {@code Authorization: Bearer} (a sign-in token or an auth token). */
    public static boolean bearer(MultiMap headers) {
        String auth = headers.get("authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank();
    }

    /** The presented key, or null when the request carries none. */
    public static String presented(MultiMap headers) {
        String auth = headers.get("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String token = auth.substring(7).trim();
            if (!token.isEmpty()) {
                return token;
            }
        }
        String key = headers.get("x-api-key");
        return key == null || key.isBlank() ? null : key.trim();
    }
}
