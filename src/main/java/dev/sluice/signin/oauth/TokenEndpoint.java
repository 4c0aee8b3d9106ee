package dev.sluice.signin.oauth;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SessionTokens;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
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
 * deprovisioning hook. A refresh re-reads the developer from the directory, so a deleted user's
 * session ends there and a team move or tag change reaches the renewed tokens.
 */
public final class TokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TokenEndpoint.class);

    private final Vertx vertx;
    private final DeviceGrants grants;
    private final SessionStore sessions;
    private final SessionTokens tokens;
    private final Predicate<String> blockedUser;
    private final UnaryOperator<SignedInUser> current;
    private final RateLimiter limiter;

    /** {@code current}: the developer as the directory has them now, or null when deleted or disabled (blocking). */
    public TokenEndpoint(Vertx vertx, DeviceGrants grants, SessionStore sessions, SessionTokens tokens, Predicate<String> blockedUser,
                         UnaryOperator<SignedInUser> current, RateLimiter limiter) {
        this.current = current;
        this.vertx = vertx;
        this.grants = grants;
        this.sessions = sessions;
        this.tokens = tokens;
        this.blockedUser = blockedUser;
        this.limiter = limiter;
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
            Map<String, String> form = ar.result();
            String grant = form.get("grant_type");
            if (!Discovery.DEVICE_GRANT.equals(grant) && !"refresh_token".equals(grant)) {
                OAuthReply.error(req.response(), 400, "unsupported_grant_type",
                        "grant_type must be " + Discovery.DEVICE_GRANT + " or refresh_token");
                return;
            }
            // The grants and sessions live in the database: answer from a worker thread.
            vertx.executeBlocking(() -> Discovery.DEVICE_GRANT.equals(grant) ? deviceGrant(form.get("device_code"))
                    : refreshGrant(form.get("refresh_token")), false).onComplete(done -> {
                        if (done.failed()) {
                            LOG.warn("token request failed: {}", done.cause().getMessage());
                            OAuthReply.error(req.response(), 503, "temporarily_unavailable", "sign-in is unavailable; try again shortly");
                        } else {
                            done.result().send(req.response());
                        }
                    });
        });
    }

    /** An answer decided on a worker thread, sent from the event loop. */
    private record Answer(int status, ObjectNode body) {
        static Answer error(int status, String error, String description) {
            ObjectNode b = Json.MAPPER.createObjectNode().put("error", error);
            if (description != null) {
                b.put("error_description", description);
            }
            return new Answer(status, b);
        }

        void send(HttpServerResponse resp) {
            OAuthReply.json(resp, status, body);
        }
    }

    private Answer deviceGrant(String deviceCode) {
        DeviceGrants.Poll poll = grants.poll(deviceCode);
        return switch (poll.outcome()) {
            case PENDING -> Answer.error(400, "authorization_pending", null);
            case SLOW_DOWN -> Answer.error(400, "slow_down", null);
            case DENIED -> Answer.error(400, "access_denied", "the sign-in was declined");
            case EXPIRED -> Answer.error(400, "expired_token", "the code expired; sign in again");
            case INVALID -> Answer.error(400, "invalid_grant", "unknown or used device code");
            case APPROVED -> open(poll.user(), poll.surface());
        };
    }

    private Answer open(SignedInUser user, String surface) {
        SessionStore.Issued issued = sessions.open(user, surface);
        if (issued == null) {
            return Answer.error(503, "temporarily_unavailable", "too many sessions on this gateway");
        }
        LOG.info("signed in: {} (team {}, surface {})", user.userId(), user.teamId(), surface);
        ObjectNode body = tokenBody(issued);
        body.put("email", user.email());
        return new Answer(200, body);
    }

    private Answer refreshGrant(String refreshToken) {
        if (refreshToken == null || refreshToken.isEmpty() || refreshToken.length() > 256) {
            return Answer.error(401, "invalid_grant", "refresh token missing or malformed");
        }
        SessionStore.Issued issued = sessions.refresh(refreshToken, current);
        if (issued != null && blockedUser.test(issued.session().user().userId())) {
            sessions.revokeUser(issued.session().user().userId());
            issued = null;
        }
        if (issued == null) {
            return Answer.error(401, "invalid_grant", "sign in again");
        }
        return new Answer(200, tokenBody(issued));
    }

    private ObjectNode tokenBody(SessionStore.Issued issued) {
        return Json.MAPPER.createObjectNode()
                .put("access_token", tokens.issue(issued.session()))
                .put("token_type", "Bearer")
                .put("expires_in", tokens.lifetime().toSeconds())
                .put("refresh_token", issued.refreshToken());
    }
}
