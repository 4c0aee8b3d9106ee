package dev.sluice.signin.oauth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Set;

/**
 * The origin developers reach the gateway at, for URLs the gateway hands out (verification page,
 * endpoints in the discovery document, the IdP redirect). The configured public URL when there is
 * one; otherwise the request's own Host, but only when it names a loopback address, because a Host
 * header is the caller's to choose: off loopback, a forged Host would send the IdP's code elsewhere.
 */
public final class Origin {
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private final String configured;

    public Origin(String publicUrl) {
        this.configured = publicUrl == null ? null : publicUrl.replaceAll("/+$", "");
    }

    /** The base URL for this request, or null when none can be trusted (no public URL and a non-loopback Host). */
    public String of(HttpServerRequest req) {
        if (configured != null) {
            return configured;
        }
        HostAndPort hp = req.authority();
        if (hp == null || !LOOPBACK.contains(hp.host().toLowerCase(java.util.Locale.ROOT))) {
            return null;
        }
        String host = hp.host().contains(":") && !hp.host().startsWith("[") ? "[" + hp.host() + "]" : hp.host();
        return (req.isSSL() ? "https" : "http") + "://" + host + (hp.port() > 0 ? ":" + hp.port() : "");
    }

    /** The issuer named in session tokens: stable, so tokens do not depend on which Host a client used. */
    public String issuer() {
        return configured == null ? "urn:sluice:gateway" : configured;
    }
}
