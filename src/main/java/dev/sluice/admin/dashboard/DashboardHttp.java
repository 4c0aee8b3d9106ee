package dev.sluice.admin.dashboard;

import dev.sluice.wire.ApiError;
import dev.sluice.wire.ErrorBody;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Locale;

/**
 * What every dashboard answer carries, and the few ways it answers. The headers are the page's defence in depth:
 * scripts and styles only from the gateway itself and never inline (so text that slipped into the DOM as HTML still
 * could not run), no framing (click-jacking), no content sniffing (a JSON answer never becomes a script), a
 * referrer only to the gateway itself (not {@code no-referrer}: Chrome then sends {@code Origin: null} with the
 * page's own forms, which {@link #crossSite} could not tell from another site's).
 */
final class DashboardHttp {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
    static final String COOKIE = "sluice_dashboard";
    static final String COOKIE_PATH = Dashboard.PREFIX;

    private DashboardHttp() {
    }

    static void secure(HttpServerRequest req) {
        var h = req.response().headers();
        h.set("content-security-policy", CSP).set("x-content-type-options", "nosniff").set("x-frame-options", "DENY")
                .set("referrer-policy", "same-origin").set("cross-origin-opener-policy", "same-origin")
                .set("cross-origin-resource-policy", "same-origin");
        if (req.isSSL()) {
            h.set("strict-transport-security", "max-age=31536000"); // as the admin API does under TLS
        }
    }

    /** The session cookie: script cannot read it, other sites' requests never carry it, Secure whenever TLS is on. */
    static String sessionCookie(HttpServerRequest req, String token, long maxAgeSeconds) {
        return COOKIE + "=" + token + "; Path=" + COOKIE_PATH + "; Max-Age=" + maxAgeSeconds + "; HttpOnly; SameSite=Strict"
                + (req.isSSL() ? "; Secure" : "");
    }

    static String clearedCookie(HttpServerRequest req) {
        return sessionCookie(req, "", 0);
    }

    /** The value of our cookie, or null. Only the first occurrence counts, as browsers send the most specific path first. */
    static String cookie(HttpServerRequest req) {
        String header = req.getHeader("cookie");
        if (header == null || header.length() > 8192) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }

    /**
     * Why a form POST must be refused as sent by another site, or null. A browser's {@code Sec-Fetch-Site} (which no
     * script can set) decides when present; otherwise an {@code Origin} must be this gateway's. A client sending
     * neither is not a browser another site could drive, and gains nothing: sign-in needs the key itself.
     */
    static String crossSite(HttpServerRequest req) {
        String site = req.getHeader("sec-fetch-site");
        if (site != null) {
            return site.equalsIgnoreCase("same-origin") || site.equalsIgnoreCase("none") ? null : "the form was sent from another site";
        }
        String origin = req.getHeader("origin");
        String host = req.getHeader("host");
        if (host == null && req.authority() != null) {
            // HTTP/2 names the host in :authority, not a Host field: without this, a browser that sends no
            // Sec-Fetch-Site (Safari before 16.4) could never sign in or out over TLS.
            var a = req.authority();
            host = a.port() < 0 ? a.host() : a.host() + ":" + a.port();
        }
        if (origin != null && (host == null
                || !origin.strip().toLowerCase(Locale.ROOT).equals((req.isSSL() ? "https://" : "http://") + host.strip().toLowerCase(Locale.ROOT)))) {
            return "the form was sent from another origin";
        }
        return null;
    }

    static void redirect(HttpServerRequest req, String location) {
        HttpServerResponse r = req.response();
        r.headers().set("location", location).set("cache-control", "no-store");
        r.setStatusCode(303).end();
    }

    static void json(HttpServerRequest req, String body) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.headers().set("content-type", "application/json").set("cache-control", "no-store");
        r.setStatusCode(200).end(body);
    }

    /** An error in the admin API's envelope (Anthropic's), with the request id the log line carries. */
    static void error(HttpServerRequest req, ApiError e, String requestId) {
        HttpServerResponse r = req.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.headers().set("content-type", "application/json").set("cache-control", "no-store");
        if (e.shouldRetry() != null) {
            r.headers().set("x-should-retry", e.shouldRetry().toString());
        }
        e.headers().forEach(r.headers()::set);
        r.setStatusCode(e.status()).end(ErrorBody.json(e.type(), e.getMessage(), requestId));
    }
}
