package dev.sluice.authenticate;

import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import java.util.Locale;

/**
 * Refuses API calls a browser sent on behalf of another site's page.
 *
 * <p>Why: a page can make a browser POST to any address without asking first, as long as the request is "simple"
 * (a {@code text/plain} body, no header of its own). The doors read a JSON body whatever its content type, and in open
 * local mode ask for no key, so any page a developer opened could send {@code /v1/chat/completions} to the gateway on
 * {@code 127.0.0.1} and spend on the upstream's key, unseen (it cannot read the answer; it does not need to). A request
 * that carries a key is not affected the same way, since a page cannot add the key header without the CORS preflight
 * the gateway does not grant; no client of the API works from another site's page, so refusing them all costs nothing.
 *
 * <p>Only browsers send {@code Sec-Fetch-Site} (no script can set it) and {@code Origin} on a POST; SDKs, Claude Code,
 * curl and servers send neither, and are never refused here.
 */
final class CrossSiteRequests {
    private CrossSiteRequests() {
    }

    /** @throws ApiError 403 when the request comes from another site's page */
    static void refuse(MultiMap headers) {
        String why = why(headers);
        if (why != null) {
            throw new ApiError(403, "permission_error", why + ": the gateway's API does not answer pages of other sites"
                    + " (call it from a program, or from a server)", false, null);
        }
    }

    /** Why the request is a cross-site browser request, or null when it is not one. */
    static String why(MultiMap headers) {
        String site = headers.get("sec-fetch-site");
        if (site != null) {
            String s = site.strip().toLowerCase(Locale.ROOT);
            return s.equals("same-origin") || s.equals("none") ? null : "a browser sent this request from another site";
        }
        String origin = headers.get("origin");
        if (origin == null) {
            return null;
        }
        String host = headers.get("host");
        return host != null && sameHost(origin, host) ? null : "a browser sent this request from another origin";
    }

    /** The origin ({@code scheme://host[:port]}, or {@code null} for an opaque one) names the Host the request went to. */
    private static boolean sameHost(String origin, String host) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        int scheme = o.indexOf("://");
        return scheme > 0 && o.substring(scheme + 3).equals(host.strip().toLowerCase(Locale.ROOT));
    }
}
