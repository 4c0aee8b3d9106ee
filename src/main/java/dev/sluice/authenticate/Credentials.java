package dev.sluice.authenticate;

import io.vertx.core.MultiMap;
import java.util.List;

/**
 * Where a caller's key is found: a Bearer token wins over {@code x-api-key}, as Claude Code's gateway protocol says.
 * A request with two different values of one credential header has none: which one counts would depend on which copy
 * a proxy on the way keeps, so one caller could pass another's check (every user of {@link #presented} then refuses it).
 */
public final class Credentials {
    private Credentials() {
    }

    /** True when the credential came as {@code Authorization: Bearer} (a sign-in token or an auth token). */
    public static boolean bearer(MultiMap headers) {
        String auth = headers.get("authorization");
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank();
    }

    /** Why the request's credential is ambiguous (a header sent twice with different values), or null. */
    public static String conflicting(MultiMap headers) {
        for (String name : NAMES) {
            List<String> all = headers.getAll(name);
            for (int i = 1; i < all.size(); i++) {
                if (!all.get(i).trim().equals(all.get(0).trim())) {
                    return "the request carries " + all.size() + " different " + name + " headers: send one credential";
                }
            }
        }
        return null;
    }

    private static final List<String> NAMES = List.of("authorization", "x-api-key");

    /** The presented key, or null when the request carries none (or two different ones: {@link #conflicting}). */
    public static String presented(MultiMap headers) {
        if (conflicting(headers) != null) {
            return null;
        }
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
