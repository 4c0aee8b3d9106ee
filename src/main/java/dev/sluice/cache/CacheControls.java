package dev.sluice.cache;

import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What one request asks of the cache, from its headers:
 * <pre>
 *  x-sluice-cache-mode: on | off | read-only | write-only    narrows the route's mode
 *  x-sluice-cache-ttl: SECONDS                               how long to keep this answer (capped by the route)
 *  x-sluice-cache-namespace: NAME                            e.g. a git SHA; up to 128 of [A-Za-z0-9._:/@+-]
 *  x-sluice-cache-refresh: true                              do not read, store the fresh answer
 *  Cache-Control: max-age=N                                  accept an entry at most N s old; keep the answer N s
 *  Cache-Control: no-cache                                   same as refresh
 *  Cache-Control: no-store                                   do not store this answer
 *  Pragma: no-cache                                          same as refresh, when there is no Cache-Control
 * </pre>
 * A malformed value is the caller's error: {@link #parse} throws a 400 naming the header.
 *
 * @param mode      the requested mode, or null
 * @param ttl       requested time to keep the answer, or null
 * @param maxAge    oldest entry accepted, or null
 * @param namespace requested namespace, or null for the route's
 */
public record CacheControls(CacheMode mode, Duration ttl, Duration maxAge, String namespace, boolean refresh, boolean noStore) {
    public static final CacheControls NONE = new CacheControls(null, null, null, null, false, false);

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:/@+-]{0,128}");
    private static final long MAX_SECONDS = Duration.ofDays(365).toSeconds();

    public static CacheControls parse(MultiMap headers) {
        CacheMode mode = null;
        String m = headers.get("x-sluice-cache-mode");
        if (m != null) {
            try {
                mode = CacheMode.parse(m);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest("x-sluice-cache-mode: '" + clip(m) + "' (expected: on, off, read-only or write-only)");
            }
        }
        Duration ttl = seconds("x-sluice-cache-ttl", headers.get("x-sluice-cache-ttl"));
        String namespace = headers.get("x-sluice-cache-namespace");
        if (namespace != null) {
            try {
                checkNamespace(namespace);
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest(e.getMessage());
            }
        }
        boolean refresh = flag(headers.get("x-sluice-cache-refresh"));
        Duration maxAge = null;
        boolean noStore = false;
        for (String cc : headers.getAll("cache-control")) {
            for (String directive : cc.split(",")) {
                String d = directive.trim().toLowerCase(Locale.ROOT);
                if (d.equals("no-cache")) {
                    refresh = true;
                } else if (d.equals("no-store")) {
                    noStore = true;
                } else if (d.startsWith("max-age=")) {
                    maxAge = seconds("Cache-Control max-age", d.substring(8));
                    if (maxAge.isZero()) {
                        refresh = true;
                    }
                }
            }
        }
        if (!headers.contains("cache-control") && pragmaNoCache(headers)) {
            refresh = true; // HTTP/1.0's spelling; RFC 9111 reads it only when Cache-Control is absent
        }
        if (ttl == null && maxAge != null && !maxAge.isZero()) {
            ttl = maxAge;
        }
        return new CacheControls(mode, ttl, maxAge, namespace, refresh, noStore);
    }

    private static boolean pragmaNoCache(MultiMap headers) {
        for (String p : headers.getAll("pragma")) {
            for (String directive : p.split(",")) {
                if (directive.trim().equalsIgnoreCase("no-cache")) {
                    return true;
                }
            }
        }
        return false;
    }

    static void checkNamespace(String namespace) {
        if (!NAMESPACE.matcher(namespace).matches()) {
            throw new IllegalArgumentException("x-sluice-cache-namespace: '" + clip(namespace)
                    + "' (expected: up to 128 of letters, digits and . _ : / @ + -)");
        }
    }

    private static boolean flag(String value) {
        if (value == null || value.equalsIgnoreCase("false") || value.equals("0")) {
            return false;
        }
        if (value.equalsIgnoreCase("true") || value.equals("1")) {
            return true;
        }
        throw ApiError.invalidRequest("x-sluice-cache-refresh: '" + clip(value) + "' (expected: true or false)");
    }

    private static Duration seconds(String header, String value) {
        if (value == null) {
            return null;
        }
        try {
            long s = Long.parseLong(value.trim());
            if (s < 0 || s > MAX_SECONDS) {
                throw new NumberFormatException();
            }
            return Duration.ofSeconds(s);
        } catch (NumberFormatException e) {
            throw ApiError.invalidRequest(header + ": '" + clip(value) + "' (expected: whole seconds from 0 to " + MAX_SECONDS + ")");
        }
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
