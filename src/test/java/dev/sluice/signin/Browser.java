package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a developer's browser does on the verification page, over plain HTTP: open the link the CLI
 * printed (which sets the page's binding cookie), press the button (a same-origin form POST with the
 * page's token, as a browser sends it), sign in on the IdP's own login form (mock-oauth2-server's: a
 * user name and a JSON of claims), follow the redirects back, and answer the confirmation page.
 * Redirects are followed by hand so each hop is checked; the gateway's cookie is kept by hand too.
 */
public final class Browser {
    private static final Pattern COOKIE = Pattern.compile("sluice_device=([A-Za-z0-9_-]+)");
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private String cookie;
    private String lastAuthorize;

    /** The final page after signing in as {@code user} with {@code claimsJson} and approving, from the CLI's link. */
    public HttpResponse<String> approve(String verificationUriComplete, String userCode, String user, String claimsJson)
            throws Exception {
        HttpResponse<String> back = signInAtIdp(verificationUriComplete, userCode, user, claimsJson);
        if (back.statusCode() != 200) {
            return back; // refused by the directory or the IdP: no confirmation to give
        }
        assertThat(back.body()).contains("Approve sign-in of <b>Claude Code</b> for code <b>" + userCode + "</b>");
        return confirm(URI.create(verificationUriComplete), back.body(), "approve");
    }

    /** The page the gateway shows on the IdP's return (the confirmation page, or a refusal). */
    public HttpResponse<String> signInAtIdp(String verificationUriComplete, String userCode, String user, String claimsJson)
            throws Exception {
        return get(idpReturn(verificationUriComplete, userCode, user, claimsJson));
    }

    /** Everything up to the IdP's redirect back: the callback URL it sends the browser to (not yet followed). */
    public String idpReturn(String verificationUriComplete, String userCode, String user, String claimsJson) throws Exception {
        HttpResponse<String> form = get(verificationUriComplete);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("value=\"" + userCode + "\"").doesNotContain("<script");
        URI page = URI.create(verificationUriComplete);
        HttpResponse<String> toIdp = post(page.resolve("/device"), "csrf=" + enc(field(form.body(), "csrf"))
                + "&user_code=" + enc(userCode));
        assertThat(toIdp.statusCode()).as(toIdp.body()).isEqualTo(303);
        String authorize = toIdp.headers().firstValue("location").orElseThrow();
        assertThat(authorize).contains("code_challenge_method=S256").contains("state=").contains("nonce=");
        lastAuthorize = authorize;
        HttpResponse<String> login = get(authorize);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"username\"");
        HttpResponse<String> back = post(URI.create(authorize), "username=" + enc(user) + "&claims=" + enc(claimsJson));
        assertThat(back.statusCode()).as(back.body()).isBetween(300, 399);
        return back.headers().firstValue("location").orElseThrow();
    }

    /** The IdP authorization URL of the latest sign-in. */
    public String lastAuthorize() {
        return lastAuthorize;
    }

    /** Presses Approve or Deny ({@code decision}) on a confirmation page. */
    public HttpResponse<String> confirm(URI gateway, String confirmationPage, String decision) throws Exception {
        return post(gateway.resolve("/device/confirm"), "csrf=" + enc(field(confirmationPage, "csrf")) + "&confirm="
                + enc(field(confirmationPage, "confirm")) + "&user_code=" + enc(field(confirmationPage, "user_code"))
                + "&decision=" + decision);
    }

    /** A hidden field's value on a page. */
    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("a " + name + " field on the page").isTrue();
        return m.group(1);
    }

    /** The gateway's binding cookie this browser holds, or null. */
    public String cookie() {
        return cookie;
    }

    public HttpResponse<String> get(String url) throws Exception {
        return keep(http.send(withCookie(HttpRequest.newBuilder(URI.create(url)), URI.create(url)).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    /** A form POST as a browser sends one from a page of the same origin ({@code Origin}, {@code Sec-Fetch-Site}). */
    public HttpResponse<String> post(URI url, String form) throws Exception {
        return keep(http.send(withCookie(HttpRequest.newBuilder(url), url).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("origin", url.getScheme() + "://" + url.getRawAuthority()).header("sec-fetch-site", "same-origin")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest.Builder withCookie(HttpRequest.Builder b, URI url) {
        if (cookie != null && url.getPath() != null && url.getPath().startsWith("/device")) {
            b.header("cookie", "sluice_device=" + cookie);
        }
        return b;
    }

    private HttpResponse<String> keep(HttpResponse<String> r) {
        for (String set : r.headers().allValues("set-cookie")) {
            Matcher m = COOKIE.matcher(set);
            if (m.find()) {
                cookie = m.group(1);
            }
        }
        return r;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
