package dev.sluice.signin.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.signin.oauth.Clients;
import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.oauth.Discovery;
import dev.sluice.signin.oauth.Forms;
import dev.sluice.signin.oauth.Origin;
import dev.sluice.signin.oauth.RateLimiter;
import dev.sluice.signin.session.Directory;
import dev.sluice.signin.session.Profile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The browser half of the device flow, at {@code /device}:
 * <ol>
 *   <li>{@code GET /device[?user_code=…]} shows the code form, pre-filled from the CLI's link but never
 *       submitted by itself (RFC 8628 §5.4: the person confirms the code is theirs), and binds the browser
 *       ({@link BrowserBinding}: a cookie and per-form tokens).</li>
 *   <li>{@code POST /device} (same site only, with this browser's token) checks the code is pending and sends
 *       the browser to the IdP: authorization code flow with PKCE (S256), a fresh {@code state} bound to the
 *       browser, a {@code nonce}, and {@code prompt} if configured.</li>
 *   <li>{@code GET /device/callback} takes the code back (state is single-use and only valid in the browser that
 *       started it), exchanges it, verifies the ID token, reads email and groups (from userinfo when the ID token
 *       lacks them) and places the developer in the directory. It does <em>not</em> approve: an IdP with a
 *       single-sign-on session returns here without the developer seeing anything, so a sign-in started by
 *       someone else must not finish by itself. It shows who would be signed in for which code and what asked
 *       for it ({@link ConfirmStep}).</li>
 *   <li>{@code POST /device/confirm} (same site, this browser's token and the page's confirmation secret)
 *       approves or denies the code.</li>
 * </ol>
 * Every step is rate-limited per address: user codes are short, so guessing must be slow (§5.1).
 */
public final class VerificationPage {
    private static final Logger LOG = LoggerFactory.getLogger(VerificationPage.class);
    static final String CALLBACK_PATH = Discovery.VERIFY_PATH + "/callback";

    private final Vertx vertx;
    private final Origin origin;
    private final DeviceGrants grants;
    private final LoginFlows flows;
    private final OidcClient oidc;
    private final IdTokens idTokens;
    private final Directory directory;
    private final RateLimiter limiter;
    private final ConfirmStep confirm;

    public VerificationPage(Vertx vertx, Origin origin, DeviceGrants grants, LoginFlows flows, OidcClient oidc,
                            IdTokens idTokens, Directory directory, RateLimiter limiter) {
        this.vertx = vertx;
        this.origin = origin;
        this.grants = grants;
        this.flows = flows;
        this.oidc = oidc;
        this.idTokens = idTokens;
        this.directory = directory;
        this.limiter = limiter;
        this.confirm = new ConfirmStep(vertx, origin, grants, this::send);
    }

    public void handle(HttpServerRequest req) {
        if (!limiter.tryAcquire(Clients.limitKey(req))) {
            req.response().putHeader("retry-after", Long.toString(limiter.retryAfterSeconds()));
            send(req, 429, Pages.failed("Too many attempts from your address. Wait a minute and try again."));
            return;
        }
        if (!queryDecodes(req)) {
            send(req, 400, Pages.failed("This link is malformed. Open the link your terminal shows."));
            return;
        }
        String path = req.path();
        if (path.equals(CALLBACK_PATH) && req.method() == HttpMethod.GET) {
            callback(req);
        } else if (path.equals(ConfirmStep.PATH) && req.method() == HttpMethod.POST) {
            confirm.handle(req);
        } else if (path.equals(Discovery.VERIFY_PATH) && req.method() == HttpMethod.GET) {
            String code = req.getParam("user_code");
            showForm(req, 200, code, null);
        } else if (path.equals(Discovery.VERIFY_PATH) && req.method() == HttpMethod.POST) {
            String crossSite = BrowserBinding.crossSite(req, origin.of(req));
            if (crossSite != null) {
                LOG.warn("verification page: refused a code form from {}: {}", Clients.address(req), crossSite);
                send(req, 403, Pages.failed("This sign-in was refused: " + crossSite + ". Open the link your terminal shows."));
                return;
            }
            Forms.read(req).onComplete(ar -> {
                Map<String, String> form = ar.succeeded() ? ar.result() : Map.of();
                if (!BrowserBinding.tokenMatches(req, form.get("csrf"), BrowserBinding.CODE_FORM)) {
                    showForm(req, 403, form.get("user_code"), "This page expired. Check the code and press the button again.");
                    return;
                }
                submit(req, form.get("user_code"), BrowserBinding.cookie(req));
            });
        } else {
            send(req, 404, Pages.failed("There is nothing at " + req.method() + " " + path + "."));
        }
    }

    /** False for a query with a malformed escape ({@code %ZZ}): reading any parameter of it throws. */
    private static boolean queryDecodes(HttpServerRequest req) {
        try {
            req.params();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The code form, with this browser's binding cookie (set now if it has none) and token. */
    private void showForm(HttpServerRequest req, int status, String code, String error) {
        String browser = BrowserBinding.cookieOrNew(req, origin.of(req));
        send(req, status, Pages.codeForm(code == null ? null : UserCodeText.shown(code), error,
                BrowserBinding.token(browser, BrowserBinding.CODE_FORM)));
    }

    /** The grant a typed code names and a new browser sign-in for it; both live in the database. */
    private record Start(DeviceGrants.Grant grant, LoginFlows.Flow flow) {
    }

    private void submit(HttpServerRequest req, String typed, String browser) {
        String base = origin.of(req);
        vertx.executeBlocking(() -> {
            DeviceGrants.Grant g = grants.pending(typed);
            return new Start(g, g == null || base == null ? null : flows.start(g.userCode(), browser));
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                unavailable(req, ar.cause());
            } else {
                redirect(req, typed, base, ar.result());
            }
        });
    }

    private void redirect(HttpServerRequest req, String typed, String base, Start start) {
        if (start.grant() == null) {
            showForm(req, 400, typed, "That code is not valid, was already used, or has expired. Check your terminal.");
            return;
        }
        LoginFlows.Flow flow = start.flow();
        if (base == null || flow == null) {
            send(req, 503, Pages.failed(base == null ? "signin.public-url is not set on this gateway."
                    : "Too many sign-ins in progress. Try again shortly."));
            return;
        }
        oidc.metadata().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("cannot read the IdP's discovery document: {}", ar.cause().getMessage());
                send(req, 502, Pages.failed("The identity provider cannot be reached. Try again shortly."));
                return;
            }
            Map<String, String> q = new LinkedHashMap<>();
            q.put("response_type", "code");
            q.put("client_id", oidc.config().clientId());
            q.put("redirect_uri", base + CALLBACK_PATH);
            q.put("scope", scopes());
            q.put("state", flow.state());
            q.put("nonce", flow.nonce());
            q.put("code_challenge", flow.challenge());
            q.put("code_challenge_method", "S256");
            if (oidc.config().prompt() != null) {
                q.put("prompt", oidc.config().prompt().strip());
            }
            req.response().setStatusCode(303).putHeader("cache-control", "no-store")
                    .putHeader("referrer-policy", "no-referrer")
                    .putHeader("location", OidcClient.authorizationUrl(ar.result(), oidc.config(), q)).end();
        });
    }

    /** The browser sign-in a state names (taken: single use) and the grant it is for. */
    private record Back(LoginFlows.Flow flow, DeviceGrants.Grant grant, String browser) {
    }

    private void callback(HttpServerRequest req) {
        String state = req.getParam("state");
        String error = req.getParam("error");
        String code = req.getParam("code");
        String browser = BrowserBinding.cookie(req);
        vertx.executeBlocking(() -> {
            LoginFlows.Flow flow = flows.finish(state, browser);
            DeviceGrants.Grant g = flow == null ? null : grants.pending(flow.userCode());
            if (g != null && (error != null || code == null)) {
                grants.deny(g);
            }
            return new Back(flow, g, browser);
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                unavailable(req, ar.cause());
            } else {
                returned(req, ar.result(), error, code);
            }
        });
    }

    private void returned(HttpServerRequest req, Back back, String error, String code) {
        if (back.flow() == null) {
            send(req, 400, Pages.failed("This sign-in link has expired, was already used, or was opened in another browser."));
            return;
        }
        DeviceGrants.Grant g = back.grant();
        if (g == null) {
            // The flow was taken, but its code was settled or expired while the developer was at the IdP.
            LOG.info("device code {}: back from the IdP after the code was answered or expired", back.flow().userCode());
            send(req, 400, Pages.failed("This code expired, or another sign-in is already waiting to be confirmed for it."
                    + " Run /login again."));
            return;
        }
        if (error != null || code == null) {
            send(req, 403, Pages.refused("The identity provider did not sign you in (" + (error == null ? "no code" : error) + ")."));
            return;
        }
        String base = origin.of(req);
        LoginFlows.Flow flow = back.flow();
        oidc.exchange(code, flow.verifier(), base + CALLBACK_PATH)
                .compose(tokens -> profile(tokens, flow.nonce()))
                .compose(p -> vertx.executeBlocking(() -> confirm.hold(g, directory.admit(p), back.browser()), false))
                .onComplete(ar -> finish(req, g, ar.succeeded() ? ar.result() : null, ar.cause()));
    }

    private Future<Profile> profile(JsonNode tokens, String nonce) {
        String claim = oidc.config().groupsClaim();
        return idTokens.verify(tokens.path("id_token").asText(null), nonce).compose(claims -> {
            if (Profiles.complete(claims, claim)) {
                return Future.succeededFuture(Profiles.from(claims, null, claim));
            }
            return oidc.userinfo(tokens.path("access_token").asText(null))
                    .map(info -> Profiles.from(claims, info, claim));
        });
    }

    private void finish(HttpServerRequest req, DeviceGrants.Grant g, ConfirmStep.Held held, Throwable failure) {
        if (failure instanceof Directory.Refused refused) {
            LOG.info("sign-in refused for code {}: {}", g.userCode(), refused.getMessage());
            // Denied before the page answers, so the client's next poll hears access_denied.
            vertx.executeBlocking(() -> grants.deny(g), false)
                    .onComplete(x -> send(req, 403, Pages.refused(refused.getMessage())));
            return;
        }
        if (failure != null) {
            LOG.warn("sign-in failed for code {}: {}", g.userCode(), failure.getMessage());
            send(req, 502, Pages.failed("Signing in with your identity provider failed. Try again."));
            return;
        }
        if (held == null) {
            LOG.warn("device code {}: a sign-in was not held (expired, or another sign-in already awaits confirmation)", g.userCode());
            send(req, 400, Pages.failed("This code expired, or another sign-in is already waiting to be confirmed for it."
                    + " Run /login again."));
            return;
        }
        confirm.show(req, g, held);
    }

    private void unavailable(HttpServerRequest req, Throwable cause) {
        LOG.warn("verification page: {}", cause.getMessage());
        send(req, 503, Pages.failed("Sign-in is unavailable right now. Try again shortly."));
    }

    private String scopes() {
        java.util.LinkedHashSet<String> s = new java.util.LinkedHashSet<>();
        s.add("openid");
        s.addAll(oidc.config().scopes());
        return String.join(" ", s);
    }

    void send(HttpServerRequest req, int status, String html) {
        String idp = "";
        try {
            URI issuer = URI.create(oidc.config().issuer());
            idp = issuer.getScheme() + "://" + issuer.getRawAuthority();
        } catch (IllegalArgumentException e) {
            // validated at load; an odd issuer only narrows the policy
        }
        Pages.send(req.response(), status, html, idp);
    }

    /** Shows what a person typed back to them, bounded. */
    static final class UserCodeText {
        private UserCodeText() {
        }

        static String shown(String typed) {
            return typed.length() > 16 ? typed.substring(0, 16) : typed;
        }
    }
}
