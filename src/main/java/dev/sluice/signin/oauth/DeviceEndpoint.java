package dev.sluice.signin.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth/device_authorization} (RFC 8628 §3.1–3.2). Takes no client id or scope (Claude
 * Code sends neither) and ignores every field it does not know; records {@code surface}, the client
 * application signing in. Rate-limited per address, since each call holds a pending grant.
 */
public final class DeviceEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceEndpoint.class);
    private static final Pattern SURFACE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    private final Vertx vertx;
    private final Origin origin;
    private final DeviceGrants grants;
    private final RateLimiter limiter;
    private final String loginNotice;

    public DeviceEndpoint(Vertx vertx, Origin origin, DeviceGrants grants, RateLimiter limiter, String loginNotice) {
        this.vertx = vertx;
        this.origin = origin;
        this.grants = grants;
        this.limiter = limiter;
        this.loginNotice = loginNotice;
    }

    public void handle(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST) {
            OAuthReply.notAllowed(req.response(), "POST");
            return;
        }
        if (!limiter.tryAcquire(Clients.limitKey(req))) {
            OAuthReply.tooManyRequests(req.response(), limiter.retryAfterSeconds());
            return;
        }
        Forms.read(req).onComplete(ar -> {
            if (ar.failed()) {
                OAuthReply.unreadableForm(req.response(), ar.cause());
                return;
            }
            answer(req, ar.result());
        });
    }

    private void answer(HttpServerRequest req, Map<String, String> form) {
        String base = origin.of(req);
        if (base == null) {
            OAuthReply.error(req.response(), 400, "invalid_request", "signin.public-url is not set on this gateway");
            return;
        }
        String surface = form.get("surface");
        if (surface != null && !SURFACE.matcher(surface).matches()) {
            surface = null; // recorded only when it is a plain identifier
        }
        String recorded = surface;
        String address = Clients.address(req);
        String agent = req.getHeader("user-agent");
        vertx.executeBlocking(() -> grants.create(recorded, address, agent), false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("device authorization failed: {}", ar.cause().getMessage());
                OAuthReply.error(req.response(), 503, "temporarily_unavailable", "sign-in is unavailable; try again shortly");
                return;
            }
            created(req, base, recorded, ar.result());
        });
    }

    private void created(HttpServerRequest req, String base, String surface, DeviceGrants.Created c) {
        if (c == null) {
            OAuthReply.error(req.response(), 503, "temporarily_unavailable", "too many sign-ins in progress; try again shortly");
            return;
        }
        LOG.info("device code issued (surface={}, user code {})", surface, c.userCode());
        String verify = base + Discovery.VERIFY_PATH;
        ObjectNode body = Json.MAPPER.createObjectNode()
                .put("device_code", c.deviceCode())
                .put("user_code", c.userCode())
                .put("verification_uri", verify)
                .put("verification_uri_complete", verify + "?user_code=" + c.userCode())
                .put("expires_in", c.expiresIn().toSeconds())
                .put("interval", c.interval().toSeconds());
        if (loginNotice != null && !loginNotice.isBlank()) {
            body.put("login_notice", loginNotice);
        }
        OAuthReply.json(req.response(), 200, body);
    }
}
