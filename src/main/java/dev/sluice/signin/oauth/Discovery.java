package dev.sluice.signin.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code GET /.well-known/oauth-authorization-server} (RFC 8414). The CLI reads the device
 * authorization, token and revocation endpoints and uses each only when it is on the same origin as
 * the base URL it was given. There is deliberately no {@code authorization_endpoint}: the browser
 * half of the flow is the verification page.
 */
public final class Discovery {
    public static final String PATH = "/.well-known/oauth-authorization-server";
    public static final String DEVICE_PATH = "/oauth/device_authorization";
    public static final String TOKEN_PATH = "/oauth/token";
    public static final String REVOKE_PATH = "/oauth/revoke";
    public static final String VERIFY_PATH = "/device";
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private final Origin origin;

    public Discovery(Origin origin) {
        this.origin = origin;
    }

    public void handle(HttpServerRequest req) {
        if (req.method() != io.vertx.core.http.HttpMethod.GET && req.method() != io.vertx.core.http.HttpMethod.HEAD) {
            OAuthReply.notAllowed(req.response(), "GET, HEAD"); // RFC 8414 §3: the document is read with GET
            return;
        }
        String base = origin.of(req);
        if (base == null) {
            OAuthReply.error(req.response(), 400, "invalid_request", "signin.public-url is not set on this gateway");
            return;
        }
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("issuer", base);
        doc.put("device_authorization_endpoint", base + DEVICE_PATH);
        doc.put("token_endpoint", base + TOKEN_PATH);
        doc.put("revocation_endpoint", base + REVOKE_PATH);
        doc.putArray("grant_types_supported").add(DEVICE_GRANT).add("refresh_token");
        doc.putArray("response_types_supported");
        doc.putArray("token_endpoint_auth_methods_supported").add("none");
        doc.putArray("revocation_endpoint_auth_methods_supported").add("none");
        req.response().putHeader("cache-control", "no-store").putHeader("content-type", "application/json")
                .end(doc.toString());
    }
}
