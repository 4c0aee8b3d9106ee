package dev.sluice.signin.verify;

import dev.sluice.signin.session.Secrets;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ties the verification page's steps to one browser, against cross-site request forgery (the attack: another
 * site posts a code it obtained to {@code /device} from the victim's browser, whose IdP session then signs the
 * victim in for the attacker's device):
 * <ol>
 *   <li>a random cookie ({@code HttpOnly}, {@code SameSite=Lax}, {@code Secure} over HTTPS), set when the page
 *       is shown. Lax, not Strict: the IdP's redirect back is a cross-site navigation that must carry it;</li>
 *   <li>every form carries a token derived from that cookie and the form's purpose (HMAC-SHA256 keyed by the
 *       cookie), so another site can neither read nor forge it, and a token for one form is no good on the other;</li>
 *   <li>a POST a browser marks as coming from another site ({@code Sec-Fetch-Site}, or an {@code Origin} that is
 *       not the gateway's) is refused before anything else.</li>
 * </ol>
 * The IdP's answer is bound to the same cookie ({@link LoginFlows#start(String, String)}), and so is the
 * confirmation that finally approves a code.
 */
final class BrowserBinding {
    static final String COOKIE = "sluice_device";
    static final String CODE_FORM = "code";
    static final String CONFIRM_FORM = "confirm";
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");

    private BrowserBinding() {
    }

    /** The browser's binding cookie, or null when it sent none (or not one of ours). */
    static String cookie(HttpServerRequest req) {
        Cookie c = req.getCookie(COOKIE);
        return c != null && VALUE.matcher(c.getValue()).matches() ? c.getValue() : null;
    }

    /** The browser's binding cookie, set on the response when it has none yet. */
    static String cookieOrNew(HttpServerRequest req, String base) {
        String have = cookie(req);
        if (have != null) {
            return have;
        }
        String fresh = Secrets.random(32);
        req.response().addCookie(Cookie.cookie(COOKIE, fresh).setPath("/device").setHttpOnly(true)
                .setSecure(base != null && base.startsWith("https:")).setSameSite(CookieSameSite.LAX));
        return fresh;
    }

    /** The token a form for {@code purpose} must carry in this browser. */
    static String token(String cookie, String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cookie.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** True when the request carries our cookie and {@code presented} is its token for {@code purpose}. */
    static boolean tokenMatches(HttpServerRequest req, String presented, String purpose) {
        String cookie = cookie(req);
        return cookie != null && presented != null && MessageDigest.isEqual(token(cookie, purpose).getBytes(StandardCharsets.US_ASCII),
                presented.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Why a POST must be refused as sent from another site, or null. Browsers send {@code Sec-Fetch-Site} and
     * {@code Origin} on every form POST; a client without them (a script) still needs the cookie and token.
     */
    static String crossSite(HttpServerRequest req, String base) {
        String site = req.getHeader("sec-fetch-site");
        if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
            return "the form was sent from another site (" + site.strip().toLowerCase(Locale.ROOT) + ")";
        }
        String origin = req.getHeader("origin");
        if (origin != null && (base == null || !origin.strip().equalsIgnoreCase(originOf(base)))) {
            return "the form was sent from another origin";
        }
        return null;
    }

    /** {@code scheme://host[:port]} of a base URL, without a default port, as browsers write {@code Origin}. */
    static String originOf(String base) {
        try {
            URI u = URI.create(base);
            String scheme = u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
        } catch (RuntimeException e) {
            return base;
        }
    }
}
