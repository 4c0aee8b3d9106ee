package dev.sluice.signin.verify;

import dev.sluice.signin.oauth.Clients;
import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.oauth.Discovery;
import dev.sluice.signin.oauth.Forms;
import dev.sluice.signin.oauth.Origin;
import dev.sluice.signin.session.Secrets;
import dev.sluice.signin.session.SignedInUser;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last step of the verification page: the developer, back from the IdP, sees who would be signed in for
 * which code and what asked for that code, and approves or denies it with {@code POST /device/confirm}.
 *
 * <p>Why a separate step: with a single-sign-on session the IdP answers without showing the developer
 * anything, so approving on its return would let a sign-in that someone else started (and steered this
 * browser into) finish unseen. The confirmation is held in the database beside the grant (any replica may
 * answer), as the digest of a fresh secret joined with the browser's binding cookie: only the page this
 * browser was shown, posted from this site with its token, can settle it, and only once.
 */
final class ConfirmStep {
    static final String PATH = Discovery.VERIFY_PATH + "/confirm";
    private static final Logger LOG = LoggerFactory.getLogger(ConfirmStep.class);

    /** Renders a page (the verification page's headers and policy). */
    interface Sender {
        void send(HttpServerRequest req, int status, String html);
    }

    /** A developer admitted by the directory and held beside a grant until they confirm. */
    record Held(SignedInUser user, String confirmId) {
    }

    private record Answer(DeviceGrants.Grant grant, SignedInUser user) {
    }

    private final Vertx vertx;
    private final Origin origin;
    private final DeviceGrants grants;
    private final Sender pages;

    ConfirmStep(Vertx vertx, Origin origin, DeviceGrants grants, Sender pages) {
        this.vertx = vertx;
        this.origin = origin;
        this.grants = grants;
        this.pages = pages;
    }

    /** Holds the admitted developer beside the grant (blocking); null when the grant is no longer pending. */
    Held hold(DeviceGrants.Grant g, SignedInUser user, String browser) {
        String id = Secrets.random(32);
        return grants.awaitConfirmation(g, user, digest(id, browser)) ? new Held(user, id) : null;
    }

    /** The confirmation page for a held sign-in. */
    void show(HttpServerRequest req, DeviceGrants.Grant g, Held held) {
        String browser = BrowserBinding.cookie(req);
        LOG.info("device code {}: {} signed in at the IdP; waiting for their confirmation", g.userCode(), held.user().userId());
        Pages.Details client = new Pages.Details(g.created(), g.clientAddress(), g.clientAgent(), g.surface());
        pages.send(req, 200, Pages.confirm(held.user().email(), g.userCode(), client, held.confirmId(),
                BrowserBinding.token(browser, BrowserBinding.CONFIRM_FORM)));
    }

    /** {@code POST /device/confirm}. */
    void handle(HttpServerRequest req) {
        String crossSite = BrowserBinding.crossSite(req, origin.of(req));
        if (crossSite != null) {
            LOG.warn("verification page: refused a confirmation from {}: {}", Clients.address(req), crossSite);
            pages.send(req, 403, Pages.failed("This confirmation was refused: " + crossSite + "."));
            return;
        }
        Forms.read(req).onComplete(ar -> {
            Map<String, String> form = ar.succeeded() ? ar.result() : Map.of();
            String decision = form.get("decision");
            if (!BrowserBinding.tokenMatches(req, form.get("csrf"), BrowserBinding.CONFIRM_FORM)) {
                pages.send(req, 403, Pages.failed("This confirmation page does not belong to this browser, or it expired."));
                return;
            }
            if (!"approve".equals(decision) && !"deny".equals(decision)) {
                pages.send(req, 400, Pages.failed("Press Approve or Deny on the confirmation page."));
                return;
            }
            settle(req, form.get("user_code"), form.get("confirm"), "approve".equals(decision));
        });
    }

    private void settle(HttpServerRequest req, String userCode, String confirmId, boolean approve) {
        String browser = BrowserBinding.cookie(req);
        vertx.executeBlocking(() -> {
            DeviceGrants.Grant g = confirmId == null || confirmId.length() > 64 ? null : grants.pending(userCode);
            return new Answer(g, g == null ? null : grants.confirm(g, digest(confirmId, browser), approve));
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.warn("verification page: {}", ar.cause().getMessage());
                pages.send(req, 503, Pages.failed("Sign-in is unavailable right now. Try again shortly."));
                return;
            }
            Answer a = ar.result();
            if (a.user() == null) {
                pages.send(req, 400, Pages.failed("This confirmation expired, was already answered, or was replaced by "
                        + "another sign-in for the same code. Run /login again if your terminal is still waiting."));
                return;
            }
            LOG.info("device code {} {} by {}", a.grant().userCode(), approve ? "approved" : "denied", a.user().userId());
            pages.send(req, 200, approve ? Pages.approved(a.user().email(), a.grant().userCode())
                    : Pages.declined(a.grant().userCode()));
        });
    }

    private static String digest(String confirmId, String browser) {
        return Secrets.digest(confirmId + "|" + browser);
    }
}
