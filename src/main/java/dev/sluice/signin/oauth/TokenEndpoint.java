package dev.sluice.signin.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SessionTokens;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.wire.Json;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /oauth/token}: the device-code grant (RFC 8628 §3.4–3.5) and the refresh grant.
 *
 * <p>Device grant answers, as the CLI reacts to them: {@code authorization_pending} (keep polling),
 * {@code slow_down} (poll 5 s slower; also 429 when an address polls too fast overall),
 * {@code access_denied} and {@code expired_token} (stop), {@code invalid_grant} for a code that is
 * unknown or already used. Success carries the {@code email} extension, which the CLI asks the
 * developer to confirm.
 *
 * <p>Refresh: a used, unknown or expired refresh token, a revoked session and a disabled developer
 * all get {@code 401 invalid_grant}, which sends the developer back through sign-in: the
 * deprovisioning hook.
 */
public final class TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final DeviceGrants grants;
    private final SessionStore sessions;
    private final SessionTokens tokens;
    private final Predicate<String> blockedUser;
    private final RateLimiter limiter;

    public TokenEndpoint(DeviceGrants grants, SessionStore sessions, SessionTokens tokens, Predicate<String> blockedUser,
                         RateLimiter limiter) {
        this.grants = grants;
        this.sessions = sessions;
        this.tokens = tokens;
        this.blockedUser = blockedUser;
        this.limiter = limiter;
    }

    public void handle(HttpServerRequest req) {
        if (req.method() != HttpMethod.POST) {
            OAuthReply.error(req.response(), 405, "invalid_request", "use POST");
            return;
        }
        if (!limiter.tryAcquire(Clients.address(req))) {
            OAuthReply.tooManyRequests(req.response(), limiter.retryAfterSeconds());
            return;
        }
        Forms.read(req).onComplete(ar -> {
            if (ar.failed()) {
                OAuthReply.error(req.response(), 413, "invalid_request", "request body too large");
                return;
            }
            Map<String, String> form = ar.result();
            String grant = form.get("grant_type");
            if (Discovery.DEVICE_GRANT.equals(grant)) {
                deviceGrant(req.response(), form.get("device_code"));
            } else if ("refresh_token".equals(grant)) {
                refreshGrant(req.response(), form.get("refresh_token"));
            } else {
                OAuthReply.error(req.response(), 400, "unsupported_grant_type",
                        "grant_type must be " + Discovery.DEVICE_GRANT + " or refresh_token");
            }
        });
    }

    private void deviceGrant(HttpServerResponse resp, String deviceCode) {
        DeviceGrants.Poll poll = grants.poll(deviceCode);
        switch (poll.outcome()) {
            case PENDING -> OAuthReply.error(resp, 400, "authorization_pending", null);
            case SLOW_DOWN -> OAuthReply.error(resp, 400, "slow_down", null);
            case DENIED -> OAuthReply.error(resp, 400, "access_denied", "the sign-in was declined");
            case EXPIRED -> OAuthReply.error(resp, 400, "expired_token", "the code expired; sign in again");
            case INVALID -> OAuthReply.error(resp, 400, "invalid_grant", "unknown or used device code");
            case APPROVED -> open(resp, poll.user(), poll.surface());
        }
    }

    private void open(HttpServerResponse resp, SignedInUser user, String surface) {
        SessionStore.Issued issued = sessions.open(user, surface);
        if (issued == null) {
            OAuthReply.error(resp, 503, "temporarily_unavailable", "too many sessions on this gateway");
            return;
        }
        LOG.info("signed in: {} (team {}, surface {})", user.userId(), user.teamId(), surface);
        ObjectNode body = tokenBody(issued);
        body.put("email", user.email());
        OAuthReply.json(resp, 200, body);
    }

    private void refreshGrant(HttpServerResponse resp, String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 256) {
            OAuthReply.error(resp, 401, "invalid_grant", "refresh token missing or malformed");
            return;
        }
        SessionStore.Issued issued = sessions.refresh(refreshToken);
        if (issued != null && blockedUser.test(issued.session().user().userId())) {
            sessions.revokeUser(issued.session().user().userId());
            issued = null;
        }
        if (issued == null) {
            OAuthReply.error(resp, 401, "invalid_grant", "sign in again");
            return;
        }
        OAuthReply.json(resp, 200, tokenBody(issued));
    }

    private ObjectNode tokenBody(SessionStore.Issued issued) {
        return Json.MAPPER.createObjectNode()
                .put("access_token", tokens.issue(issued.session()))
                .put("token_type", "Bearer")
                .put("expires_in", tokens.lifetime().toSeconds())
                .put("refresh_token", issued.refreshToken());
    }
}
