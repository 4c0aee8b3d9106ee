package dev.sluice.admin.dashboard;

import dev.sluice.admin.AdminAuth;
import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The sign-in and sign-out forms. The admin key is posted once, in the body (never in a URL, which logs keep),
 * compared by {@link AdminAuth} as the admin API compares it, and exchanged for a session cookie; the key itself is
 * not kept. A wrong key goes back to the form with {@code ?error=invalid} after a delay.
 */
final class SignIn {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SignIn.class);
    private SignIn() {
    }

    static void post(HttpServerRequest req, AdminAuth auth, DashboardSessions sessions, Vertx vertx, long timeoutMs) {
        refuseCrossSite(req);
        form(req, vertx, timeoutMs, body -> {
            String key = field(body, "key");
            String who;
            try {
                who = key == null || key.isEmpty() ? null
                        : auth.check(key, CredentialGuesses.address(req)) == null ? null : auth.name(key);
            } catch (ApiError throttled) {
                DashboardHttp.redirect(req, Dashboard.PREFIX + "/signin?error=throttled");
                return;
            }
            if (who == null) {
                vertx.setTimer(Dashboard.FAILED_SIGNIN_DELAY_MS,
                        t -> DashboardHttp.redirect(req, Dashboard.PREFIX + "/signin?error=invalid"));
                return;
            }
            String token = sessions.open(who);
            LOG.info("dashboard: {} signed in from {}", who, req.remoteAddress() == null ? "?" : req.remoteAddress().hostAddress());
            req.response().headers().add("set-cookie",
                    DashboardHttp.sessionCookie(req, token, DashboardSessions.LIFETIME.toSeconds()));
            DashboardHttp.redirect(req, Dashboard.PREFIX + "/");
        });
    }

    static void out(HttpServerRequest req, DashboardSessions sessions, Vertx vertx, long timeoutMs) {
        refuseCrossSite(req);
        form(req, vertx, timeoutMs, body -> {
            sessions.close(DashboardHttp.cookie(req));
            req.response().headers().add("set-cookie", DashboardHttp.clearedCookie(req));
            DashboardHttp.redirect(req, Dashboard.PREFIX + "/signin");
        });
    }

    private static void refuseCrossSite(HttpServerRequest req) {
        String why = DashboardHttp.crossSite(req);
        if (why != null) {
            Replies.closeAfter(req);
            throw new ApiError(403, "permission_error", why, false, null);
        }
    }

    /** The first value of {@code name} in a urlencoded form, or null. */
    static String field(String form, String name) {
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            if (k.equals(name)) {
                try {
                    return URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException badEscape) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Reads a form body of at most {@link Dashboard#MAX_FORM} bytes within {@code timeoutMs} ({@link Dashboard#FORM_TIMEOUT_MS}); a larger one
     * is a 413, a slower one a 408, and either way the connection closes. The time bound matters here more than on the
     * admin API: that one checks the key before it reads a byte of body, while this form is open to anyone, and a client
     * sending a byte every few seconds would otherwise hold its connection (and a place under the listener's connection
     * bound) for as long as it likes.
     */
    private static void form(HttpServerRequest req, Vertx vertx, long timeoutMs, Handler<String> onForm) {
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        String requestId = req.response().headers().get("request-id");
        long timer = vertx.setTimer(timeoutMs, t -> {
            if (!refused[0]) {
                refused[0] = true;
                Replies.closeAfter(req);
                DashboardHttp.error(req, new ApiError(408, "request_timeout", "form not received within "
                        + timeoutMs + " ms", false, null), requestId);
            }
        });
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > Dashboard.MAX_FORM) {
                refused[0] = true;
                vertx.cancelTimer(timer);
                Replies.closeAfter(req);
                DashboardHttp.error(req, new ApiError(413, "request_too_large", "form over " + Dashboard.MAX_FORM + " bytes"), requestId);
            } else {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            vertx.cancelTimer(timer);
            if (!refused[0]) {
                refused[0] = true;
                onForm.handle(body.toString(StandardCharsets.UTF_8));
            }
        });
    }
}
