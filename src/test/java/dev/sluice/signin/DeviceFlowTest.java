package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole sign-in protocol against a real OpenID Connect provider, as the CLI and a browser speak
 * it: discovery, device authorization, the verification page and IdP login, token polling with
 * every answer the client reacts to, the session token on {@code /v1/messages}, refresh, sign-out
 * (RFC 7009) and deprovisioning.
 */
class DeviceFlowTest {
    static final String ENG = "{\"email\":\"Dev@Corp.Example\",\"email_verified\":true,\"name\":\"Dev One\",\"groups\":[\"eng\",\"all\"]}";
    @TempDir
    Path data;
    SigninHarness h;
    final Browser browser = new Browser();

    @BeforeEach
    void start() {
        h = SigninHarness.start(data, null);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void discoveryNamesTheEndpointsOnTheSameOrigin() {
        HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/.well-known/oauth-authorization-server")).build());
        JsonNode doc = Http.json(r.body());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(doc.get("device_authorization_endpoint").asText()).isEqualTo(h.url() + "/oauth/device_authorization");
        assertThat(doc.get("token_endpoint").asText()).isEqualTo(h.url() + "/oauth/token");
        assertThat(doc.get("revocation_endpoint").asText()).isEqualTo(h.url() + "/oauth/revoke");
        assertThat(doc.has("authorization_endpoint")).isFalse();
        assertThat(doc.get("grant_types_supported").toString()).contains("urn:ietf:params:oauth:grant-type:device_code", "refresh_token");
    }

    @Test
    void deviceCodeIsApprovedThroughTheIdpAndTheSessionTokenWorks() throws Exception {
        JsonNode device = OAuth.device(h.url(), "surface=claude_code&unknown_param=1&client_id=ignored");
        assertThat(device.get("device_code").asText()).hasSizeGreaterThanOrEqualTo(43); // 256 bits, base64url
        assertThat(device.get("user_code").asText()).matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}");
        assertThat(device.get("verification_uri").asText()).isEqualTo(h.url() + "/device");
        assertThat(device.get("verification_uri_complete").asText()).endsWith("?user_code=" + device.get("user_code").asText());
        assertThat(device.get("login_notice").asText()).isEqualTo("Sign in with your Acme account.");
        String code = device.get("device_code").asText();

        HttpResponse<String> pending = OAuth.poll(h.url(), code);
        assertThat(pending.statusCode()).isEqualTo(400);
        assertThat(Http.json(pending.body()).get("error").asText()).isEqualTo("authorization_pending");
        HttpResponse<String> fast = OAuth.poll(h.url(), code);
        assertThat(Http.json(fast.body()).get("error").asText()).isEqualTo("slow_down");

        HttpResponse<String> page = browser.approve(device.get("verification_uri_complete").asText(),
                device.get("user_code").asText(), "dev1", ENG);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("signed in as <b>Dev@Corp.Example</b>");

        Thread.sleep(2_100); // the interval grew by 5 s after slow_down; the test polls after 2 s, then keeps trying
        JsonNode token = OAuth.eventually(Duration.ofSeconds(15), () -> {
            HttpResponse<String> r = OAuth.poll(h.url(), code);
            return r.statusCode() == 200 ? Http.json(r.body()) : null;
        });
        assertThat(token.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.get("email").asText()).isEqualTo("Dev@Corp.Example");
        assertThat(token.get("expires_in").asLong()).isEqualTo(3600);
        String access = token.get("access_token").asText();
        JsonNode claims = Http.json(new String(java.util.Base64.getUrlDecoder().decode(access.split("\\.")[1])));
        assertThat(claims.get("sub").asText()).isEqualTo("dev@corp.example");
        assertThat(claims.get("groups").toString()).contains("eng");
        assertThat(claims.get("team").asText()).isEqualTo("platform");

        HttpResponse<String> again = OAuth.poll(h.url(), code);
        assertThat(Http.json(again.body()).get("error").asText()).as("device codes are single-use").isEqualTo("invalid_grant");

        HttpResponse<String> msg = OAuth.message(h.url(), access);
        assertThat(msg.statusCode()).as(msg.body()).isEqualTo(200);
        JsonNode user = h.admin("GET", "/admin/users/dev@corp.example", null);
        assertThat(user.get("team_id").asText()).isEqualTo("platform");
        assertThat(user.get("email").asText()).isEqualTo("Dev@Corp.Example");
    }

    @Test
    void refreshRotatesAndSignOutRevokesAtOnce() throws Exception {
        JsonNode token = OAuth.signIn(h, browser, ENG);
        String refresh = token.get("refresh_token").asText();
        HttpResponse<String> refreshed = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + refresh + "&scope=x");
        assertThat(refreshed.statusCode()).isEqualTo(200);
        JsonNode fresh = Http.json(refreshed.body());
        assertThat(OAuth.message(h.url(), fresh.get("access_token").asText()).statusCode()).isEqualTo(200);
        // A second CLI process that read the same credentials file (or a retry whose answer was lost) refreshes with the
        // rotated token a moment later: it gets the same new refresh token, not a revoked session (the reuse grace).
        HttpResponse<String> again = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + refresh);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        JsonNode same = Http.json(again.body());
        assertThat(same.get("refresh_token").asText()).isEqualTo(fresh.get("refresh_token").asText());
        assertThat(OAuth.message(h.url(), same.get("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(OAuth.message(h.url(), fresh.get("access_token").asText()).statusCode()).isEqualTo(200);

        String access = fresh.get("access_token").asText();
        HttpResponse<String> revoke = OAuth.form(h.url() + "/oauth/revoke", "token=" + access);
        assertThat(revoke.statusCode()).isEqualTo(200);
        HttpResponse<String> after = OAuth.message(h.url(), access);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("x-should-retry")).hasValue("false");
        HttpResponse<String> refreshAfter = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token="
                + fresh.get("refresh_token").asText());
        assertThat(refreshAfter.statusCode()).isEqualTo(401);
        assertThat(OAuth.form(h.url() + "/oauth/revoke", "token=not-a-token").statusCode()).isEqualTo(200);
    }

    @Test
    void disablingTheUserEndsTheirSessionAndRefresh() throws Exception {
        JsonNode token = OAuth.signIn(h, browser, ENG);
        String access = token.get("access_token").asText();
        assertThat(OAuth.message(h.url(), access).statusCode()).isEqualTo(200);
        h.admin("PATCH", "/admin/users/dev@corp.example", "{\"disabled\":true}");
        HttpResponse<String> refused = OAuth.eventually(Duration.ofSeconds(6), () -> {
            HttpResponse<String> r = OAuth.message(h.url(), access);
            return r.statusCode() == 401 ? r : null;
        });
        assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(Http.json(refused.body()).at("/error/type").asText()).isEqualTo("authentication_error");
        HttpResponse<String> refresh = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + token.get("refresh_token").asText());
        assertThat(refresh.statusCode()).isEqualTo(401);
        assertThat(Http.json(refresh.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void deletingTheUserEndsTheirSessionAndRefreshLikeDisabling() throws Exception {
        JsonNode token = OAuth.signIn(h, browser, ENG);
        String access = token.get("access_token").asText();
        assertThat(OAuth.message(h.url(), access).statusCode()).isEqualTo(200);
        HttpResponse<String> deleted = Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/admin/users/dev@corp.example"))
                .header("authorization", "Bearer " + SigninHarness.ADMIN).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isBetween(200, 299);
        // refused once a directory read that began after the sign-in (plus the replica skew) misses the user
        HttpResponse<String> refused = OAuth.eventually(Duration.ofSeconds(15), () -> {
            HttpResponse<String> r = OAuth.message(h.url(), access);
            return r.statusCode() == 401 ? r : null;
        });
        assertThat(refused.headers().firstValue("x-should-retry")).hasValue("false");
        HttpResponse<String> refresh = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + token.get("refresh_token").asText());
        assertThat(refresh.statusCode()).isEqualTo(401);
        assertThat(Http.json(refresh.body()).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void aTeamMoveAndTagChangeReachTheSessionAtItsNextRefresh() throws Exception {
        JsonNode token = OAuth.signIn(h, browser, ENG);
        assertThat(claims(token.get("access_token").asText()).get("team").asText()).isEqualTo("platform");
        h.admin("PATCH", "/admin/users/dev@corp.example", "{\"team_id\":\"research\",\"tags\":{\"cc\":\"r-7\"}}");
        HttpResponse<String> refreshed = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + token.get("refresh_token").asText());
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String access = Http.json(refreshed.body()).get("access_token").asText();
        JsonNode claims = claims(access);
        assertThat(claims.get("team").asText()).as("the renewed session follows the move").isEqualTo("research");
        assertThat(claims.at("/tags/cc").asText()).isEqualTo("r-7");
        assertThat(OAuth.message(h.url(), access).statusCode()).isEqualTo(200);
        h.admin("PATCH", "/admin/teams/research", "{\"disabled\":true}");
        assertThat(OAuth.eventually(Duration.ofSeconds(6), () -> {
            HttpResponse<String> r = OAuth.message(h.url(), access);
            return r.statusCode() == 401 ? r : null;
        })).as("disabling the new team stops the moved developer").isNotNull();
    }

    private static JsonNode claims(String jwt) {
        return Http.json(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void theAdminEndsADevelopersSessionsWithoutDisablingThem() throws Exception {
        JsonNode token = OAuth.signIn(h, browser, ENG);
        String access = token.get("access_token").asText();
        assertThat(OAuth.message(h.url(), access).statusCode()).isEqualTo(200);
        JsonNode ended = h.admin("POST", "/admin/users/dev@corp.example/sessions/revoke", null);
        assertThat(ended.get("sessions_ended").asInt()).isEqualTo(1);
        HttpResponse<String> refused = OAuth.message(h.url(), access); // refused at once on the replica that revoked
        assertThat(refused.statusCode()).isEqualTo(401);
        HttpResponse<String> refresh = OAuth.token(h.url(), "grant_type=refresh_token&refresh_token=" + token.get("refresh_token").asText());
        assertThat(Http.json(refresh.body()).get("error").asText()).isEqualTo("invalid_grant");
        // The developer is still enabled: signing in again works, and a second revoke finds that one session.
        JsonNode again = OAuth.signIn(h, browser, ENG);
        assertThat(OAuth.message(h.url(), again.get("access_token").asText()).statusCode()).isEqualTo(200);
        assertThat(h.admin("GET", "/admin/users/dev@corp.example", null).get("disabled").asBoolean()).isFalse();
        assertThat(h.admin("POST", "/admin/users/dev@corp.example/sessions/revoke", null).get("sessions_ended").asInt()).isEqualTo(1);
        assertThat(h.admin("POST", "/admin/users/nobody@corp.example/sessions/revoke", null).get("sessions_ended").asInt()).isZero();
    }

    @Test
    void aDeveloperInNoMappedGroupIsRefusedAndTheClientHearsAccessDenied() throws Exception {
        JsonNode device = OAuth.device(h.url(), "surface=claude_code");
        HttpResponse<String> page = browser.approve(device.get("verification_uri_complete").asText(),
                device.get("user_code").asText(), "guest", "{\"email\":\"guest@corp.example\",\"email_verified\":true,\"groups\":[\"sales\"]}");
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("no team on this gateway takes your groups");
        HttpResponse<String> poll = OAuth.poll(h.url(), device.get("device_code").asText());
        assertThat(Http.json(poll.body()).get("error").asText()).isEqualTo("access_denied");
    }

    @Test
    void badInputIsBoundedAndAnsweredPlainly() throws Exception {
        assertThat(OAuth.form(h.url() + "/oauth/token", "grant_type=password&username=x").statusCode()).isEqualTo(400);
        HttpResponse<String> big = OAuth.form(h.url() + "/oauth/token", "grant_type=refresh_token&pad=" + "a".repeat(20_000));
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(Http.json(OAuth.poll(h.url(), "nope").body()).get("error").asText()).isEqualTo("invalid_grant");
        String csrf = Browser.field(browser.get(h.url() + "/device").body(), "csrf");
        HttpResponse<String> wrongCode = browser.post(URI.create(h.url() + "/device"), "csrf=" + csrf + "&user_code=BCDF-GHJK");
        assertThat(wrongCode.statusCode()).isEqualTo(400);
        assertThat(wrongCode.body()).contains("not valid");
        HttpResponse<String> xss = browser.get(h.url() + "/device?user_code=%3Cscript%3Ealert(1)%3C/script%3E");
        assertThat(xss.body()).doesNotContain("<script>alert").contains("&lt;script&gt;");
        assertThat(xss.headers().firstValue("content-security-policy").orElse("")).contains("default-src 'none'");
        HttpResponse<String> forged = OAuth.message(h.url(), "eyJhbGciOiJub25lIn0.eyJzaWQiOiJ4In0.");
        assertThat(forged.statusCode()).isEqualTo(401);
    }
}
