package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a developer's browser does on the verification page, over plain HTTP: open the link the CLI
 * printed, press the button, sign in on the IdP's own login form (mock-oauth2-server's: a user name
 * and a JSON of claims), and follow the redirects back. Redirects are followed by hand so each hop
 * is checked.
 */
public final class Browser {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** The final page after signing in as {@code user} with {@code claimsJson}, starting from the CLI's link. */
    public HttpResponse<String> approve(String verificationUriComplete, String userCode, String user, String claimsJson)
            throws Exception {
        HttpResponse<String> form = get(verificationUriComplete);
        assertThat(form.statusCode()).isEqualTo(200);
        assertThat(form.body()).contains("value=\"" + userCode + "\"").doesNotContain("<script");
        URI page = URI.create(verificationUriComplete);
        HttpResponse<String> toIdp = post(page.resolve("/device"), "user_code=" + enc(userCode));
        assertThat(toIdp.statusCode()).as(toIdp.body()).isEqualTo(303);
        String authorize = toIdp.headers().firstValue("location").orElseThrow();
        assertThat(authorize).contains("code_challenge_method=S256").contains("state=").contains("nonce=");
        HttpResponse<String> login = get(authorize);
        assertThat(login.statusCode()).isEqualTo(200);
        assertThat(login.body()).contains("name=\"username\"");
        HttpResponse<String> back = post(URI.create(authorize), "username=" + enc(user) + "&claims=" + enc(claimsJson));
        assertThat(back.statusCode()).as(back.body()).isBetween(300, 399);
        return get(back.headers().firstValue("location").orElseThrow());
    }

    public HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(URI url, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
