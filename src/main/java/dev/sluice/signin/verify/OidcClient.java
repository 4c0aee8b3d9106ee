package dev.sluice.signin.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.config.SigninConfig;
import dev.sluice.wire.Json;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Talks to the organisation's OpenID Connect provider: discovery (cached once read), the
 * authorization-code exchange with the PKCE verifier (client secret by HTTP Basic), userinfo, and
 * its signing keys. Everything over Vert.x, on the event loop.
 */
public final class OidcClient {
    private final HttpFetch http;
    private final SigninConfig.Oidc config;
    private final ProviderKeys keys;
    private volatile ProviderMetadata metadata;

    public OidcClient(HttpFetch http, SigninConfig.Oidc config, Clock clock) {
        this.http = http;
        this.config = config;
        this.keys = new ProviderKeys(http, () -> metadata().map(ProviderMetadata::jwksUri), clock, Duration.ofSeconds(30));
    }

    public SigninConfig.Oidc config() {
        return config;
    }

    public ProviderKeys keys() {
        return keys;
    }

    /** The discovery document; read once, then kept (a failed read is retried on the next sign-in). */
    public Future<ProviderMetadata> metadata() {
        ProviderMetadata m = metadata;
        if (m != null) {
            return Future.succeededFuture(m);
        }
        String url = config.issuer().replaceAll("/+$", "") + "/.well-known/openid-configuration";
        return http.get(url, MultiMap.caseInsensitiveMultiMap().add("accept", "application/json")).map(a -> {
            JsonNode doc = json(a, "discovery");
            // OIDC Discovery §4.3: the document's issuer must be the configured one; ID tokens are checked against it.
            String named = text(doc, "issuer");
            if (!trimmed(named).equals(trimmed(config.issuer()))) {
                throw new IllegalStateException("the IdP's discovery document names the issuer " + named
                        + ", not the configured " + config.issuer());
            }
            ProviderMetadata read = new ProviderMetadata(text(doc, "issuer"), text(doc, "authorization_endpoint"),
                    text(doc, "token_endpoint"), doc.path("userinfo_endpoint").asText(null), text(doc, "jwks_uri"));
            metadata = read;
            return read;
        });
    }

    private static String trimmed(String issuer) {
        return issuer.replaceAll("/+$", "");
    }

    /** Exchanges the authorization code (with the PKCE verifier) for the IdP's tokens. */
    public Future<JsonNode> exchange(String code, String verifier, String redirectUri) {
        return metadata().compose(m -> {
            StringJoiner form = new StringJoiner("&");
            form.add("grant_type=authorization_code").add("code=" + enc(code)).add("redirect_uri=" + enc(redirectUri))
                    .add("code_verifier=" + enc(verifier)).add("client_id=" + enc(config.clientId()));
            MultiMap h = MultiMap.caseInsensitiveMultiMap()
                    .add("content-type", "application/x-www-form-urlencoded").add("accept", "application/json");
            if (config.clientSecret() != null) {
                String basic = enc(config.clientId()) + ":" + enc(config.clientSecret());
                h.add("authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
            }
            return http.call(HttpMethod.POST, m.tokenEndpoint(), h, Buffer.buffer(form.toString()))
                    .map(a -> json(a, "token endpoint"));
        });
    }

    /** The userinfo claims for an IdP access token; an empty object when the IdP has no userinfo endpoint. */
    public Future<JsonNode> userinfo(String accessToken) {
        return metadata().compose(m -> {
            if (m.userinfoEndpoint() == null || accessToken == null) {
                return Future.succeededFuture(Json.MAPPER.createObjectNode());
            }
            MultiMap h = MultiMap.caseInsensitiveMultiMap().add("authorization", "Bearer " + accessToken)
                    .add("accept", "application/json");
            return http.get(m.userinfoEndpoint(), h).map(a -> json(a, "userinfo"));
        });
    }

    /** The authorization URL the browser is sent to. */
    public static String authorizationUrl(ProviderMetadata m, SigninConfig.Oidc c, Map<String, String> params) {
        StringJoiner q = new StringJoiner("&");
        params.forEach((k, v) -> q.add(enc(k) + "=" + enc(v)));
        return m.authorizationEndpoint() + (m.authorizationEndpoint().contains("?") ? "&" : "?") + q;
    }

    private static JsonNode json(HttpFetch.Answer a, String what) {
        if (!a.ok()) {
            throw new IllegalStateException("the IdP's " + what + " answered " + a.status());
        }
        try {
            JsonNode doc = Json.MAPPER.readTree(a.body().getBytes());
            if (doc == null || !doc.isObject()) {
                throw new IllegalStateException("the IdP's " + what + " did not answer a JSON object");
            }
            return doc;
        } catch (IOException e) {
            throw new IllegalStateException("the IdP's " + what + " did not answer JSON");
        }
    }

    private static String text(JsonNode doc, String field) {
        String v = doc.path(field).asText(null);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("the IdP's discovery document has no " + field);
        }
        return v;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
