package dev.sluice.signin.oauth;

import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SessionTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;

/**
 * {@code POST /oauth/revoke} (RFC 7009), what the CLI calls on sign-out: once with the access token,
 * once with the refresh token. Either ends the whole session. The answer is 200 whether or not the
 * token meant anything (§2.2), so it reveals nothing; no client authentication, as the CLI sends none.
 */
public final class RevokeEndpoint {
    private final Vertx vertx;
    private final SessionStore sessions;
    private final SessionTokens tokens;
    private final RateLimiter limiter;

    public RevokeEndpoint(Vertx vertx, SessionStore sessions, SessionTokens tokens, RateLimiter limiter) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.tokens = tokens;
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
            // §2.2: 200 whatever the token was. A store failure is a 503, so the client may try again.
            vertx.executeBlocking(() -> {
                revoke(ar.result());
                return null;
            }, false).onComplete(done -> {
                if (done.failed()) {
                    OAuthReply.error(req.response(), 503, "temporarily_unavailable", "try again shortly");
                } else if (!req.response().ended()) {
                    req.response().putHeader("cache-control", "no-store").setStatusCode(200).end();
                }
            });
        });
    }

    private void revoke(Map<String, String> form) {
        String token = form.get("token");
        if (token == null || token.length() > 8192) {
            return;
        }
        String sid = tokens.verify(token);
        if (sid != null) {
            sessions.revoke(sid);
        } else {
            sessions.revokeByRefresh(token);
        }
    }
}
