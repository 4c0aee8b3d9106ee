package dev.sluice.batches;

import io.vertx.core.MultiMap;
import io.vertx.core.net.HostAndPort;
import java.util.Locale;

/**
 * The origin a batch's {@code results_url} names: where its caller reaches this gateway. {@code signin.public-url} when
 * the operator set it; else the request's own Host, with the scheme a TLS-terminating proxy in front of the gateway
 * states ({@code X-Forwarded-Proto}, or {@code Forwarded: proto=}). Behind such a proxy the request itself is plain
 * HTTP, and an {@code http://} results URL sent the SDKs (which fetch {@code results_url} as given) to a port the proxy
 * redirects or refuses. Trusting the header is safe here: only the caller's own batch objects carry what it says.
 */
final class ResultsBase {
    private ResultsBase() {
    }

    static String of(String publicUrl, String scheme, HostAndPort authority, MultiMap headers) {
        if (publicUrl != null && !publicUrl.isBlank()) {
            return publicUrl.replaceAll("/+$", "");
        }
        String host = authority == null ? "localhost" : authority.host() + (authority.port() > 0 ? ":" + authority.port() : "");
        return schemeOf(scheme, headers) + "://" + host;
    }

    private static String schemeOf(String scheme, MultiMap headers) {
        String forwarded = headers.get("x-forwarded-proto");
        if (forwarded == null) {
            forwarded = forwardedProto(headers.get("forwarded"));
        }
        if (forwarded != null) {
            String first = forwarded.split(",", 2)[0].trim().toLowerCase(Locale.ROOT); // the proxy nearest the client
            if (first.equals("https") || first.equals("http")) {
                return first;
            }
        }
        return scheme == null ? "http" : scheme;
    }

    /** {@code proto} of the first element of a {@code Forwarded} header (RFC 7239), or null. */
    private static String forwardedProto(String header) {
        if (header == null) {
            return null;
        }
        for (String pair : header.split(",", 2)[0].split(";")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equalsIgnoreCase("proto")) {
                return pair.substring(eq + 1).trim().replace("\"", "");
            }
        }
        return null;
    }
}
