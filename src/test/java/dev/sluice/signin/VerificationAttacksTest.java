package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue-13 attack round against the verification page and the IdP's answer, each through a running gateway
 * and the real OpenID Connect provider: cross-site posts of a code (H1), a sign-in that finishes without the
 * developer confirming it (H1), the IdP's answer taken in another browser, an unverified email (M2), and a
 * second IdP account presenting a developer's address (M2).
 */
class VerificationAttacksTest {
    static final String VICTIM = "{\"email\":\"Victim@corp.io\",\"email_verified\":true,\"groups\":[\"eng\"]}";
    final HttpClient raw = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    @TempDir
    Path data;

    @Test
    void aCodeFormPostedFromAnotherSiteOrWithoutThePagesTokenNeverReachesTheIdp() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            String code = OAuth.device(h.url(), "surface=claude_code").get("user_code").asText();
            // The attack's own request: a form another site's page auto-submits from the victim's browser.
            HttpResponse<String> evil = post(h.url() + "/device", "user_code=" + code, "https://evil.example", "cross-site", null);
            assertThat(evil.statusCode()).as(evil.body()).isEqualTo(403);
            assertThat(evil.headers().firstValue("location")).isEmpty();
            HttpResponse<String> sibling = post(h.url() + "/device", "user_code=" + code, null, "same-site", null);
            assertThat(sibling.statusCode()).isEqualTo(403);
            HttpResponse<String> otherOrigin = post(h.url() + "/device", "user_code=" + code, "https://evil.example", null, null);
            assertThat(otherOrigin.statusCode()).isEqualTo(403);
            // Same origin, but without this browser's cookie and token (a client that sends no Origin at all, too).
            assertThat(post(h.url() + "/device", "user_code=" + code, h.url(), "same-origin", null).statusCode()).isEqualTo(403);
            assertThat(post(h.url() + "/device", "user_code=" + code, null, null, null).statusCode()).isEqualTo(403);
            Browser mine = new Browser();
            HttpResponse<String> form = mine.get(h.url() + "/device?user_code=" + code);
            assertThat(form.headers().allValues("set-cookie").toString()).containsIgnoringCase("HttpOnly").containsIgnoringCase("SameSite=Lax")
                    .contains("Path=/device");
            String token = Browser.field(form.body(), "csrf");
            Browser other = new Browser();
            other.get(h.url() + "/device");
            HttpResponse<String> stolenToken = post(h.url() + "/device", "csrf=" + token + "&user_code=" + code, h.url(),
                    "same-origin", other.cookie());
            assertThat(stolenToken.statusCode()).as("a token is good only with the cookie it came from").isEqualTo(403);
            HttpResponse<String> ok = post(h.url() + "/device", "csrf=" + token + "&user_code=" + code, h.url(), "same-origin",
                    mine.cookie());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(303);
        }
    }

    @Test
    void theIdpsReturnOnlyAsksAndOnlyTheConfirmationFromThatBrowserApproves() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            JsonNode device = OAuth.device(h.url(), "surface=claude_code");
            String code = device.get("user_code").asText();
            String deviceCode = device.get("device_code").asText();
            Browser browser = new Browser();
            HttpResponse<String> page = browser.signInAtIdp(device.get("verification_uri_complete").asText(), code, "victim-sub", VICTIM);
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("Approve sign-in of <b>Claude Code</b> for code <b>" + code + "</b> as <b>Victim@corp.io</b>?")
                    .contains("from 127.0.0.1").contains("claude-code/2.1.330").contains("claude_code").contains(" UTC");
            assertThat(Http.json(OAuth.poll(h.url(), deviceCode).body()).get("error").asText())
                    .as("nothing approved on the IdP's return").isEqualTo("authorization_pending");

            String fields = "csrf=" + Browser.field(page.body(), "csrf") + "&confirm=" + Browser.field(page.body(), "confirm")
                    + "&user_code=" + code + "&decision=approve";
            assertThat(post(h.url() + "/device/confirm", fields, "https://evil.example", "cross-site", browser.cookie()).statusCode())
                    .isEqualTo(403);
            Browser other = new Browser();
            other.get(h.url() + "/device");
            assertThat(post(h.url() + "/device/confirm", fields, h.url(), "same-origin", other.cookie()).statusCode())
                    .as("the confirmation belongs to the browser that signed in").isEqualTo(403);
            assertThat(post(h.url() + "/device/confirm", fields.replace("confirm=", "confirm=x"), h.url(), "same-origin",
                    browser.cookie()).statusCode()).as("a wrong confirmation secret").isEqualTo(400);

            HttpResponse<String> approved = browser.confirm(URI.create(h.url()), page.body(), "approve");
            assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
            assertThat(approved.body()).contains("signed in as <b>Victim@corp.io</b>");
            assertThat(browser.confirm(URI.create(h.url()), page.body(), "approve").statusCode()).as("once").isEqualTo(400);
            JsonNode token = OAuth.eventually(Duration.ofSeconds(10), () -> {
                HttpResponse<String> r = OAuth.poll(h.url(), deviceCode);
                return r.statusCode() == 200 ? Http.json(r.body()) : null;
            });
            assertThat(token.get("email").asText()).isEqualTo("Victim@corp.io");
        }
    }

    @Test
    void denyingOnTheConfirmationPageDeniesTheCodeAndAnotherBrowserCannotTakeTheIdpsAnswer() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            JsonNode device = OAuth.device(h.url(), "surface=claude_code");
            Browser browser = new Browser();
            HttpResponse<String> page = browser.signInAtIdp(device.get("verification_uri_complete").asText(),
                    device.get("user_code").asText(), "victim-sub", VICTIM);
            HttpResponse<String> denied = browser.confirm(URI.create(h.url()), page.body(), "deny");
            assertThat(denied.statusCode()).isEqualTo(200);
            assertThat(denied.body()).contains("declined");
            assertThat(Http.json(OAuth.poll(h.url(), device.get("device_code").asText()).body()).get("error").asText())
                    .isEqualTo("access_denied");

            JsonNode second = OAuth.device(h.url(), "surface=claude_code");
            String callback = new Browser().idpReturn(second.get("verification_uri_complete").asText(),
                    second.get("user_code").asText(), "victim-sub", VICTIM);
            HttpResponse<String> elsewhere = new Browser().get(callback);
            assertThat(elsewhere.statusCode()).as("the IdP's answer opened in a browser that did not start it").isEqualTo(400);
            assertThat(elsewhere.body()).contains("another browser");
        }
    }

    @Test
    void anUnverifiedEmailIsRefusedEvenWhereItsDomainAndTeamRulesWouldMatch() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, "allowed-email-domains: [corp.io]\n")) {
            refused(h, "attacker-sub-999", "{\"email\":\"Victim@corp.io\",\"email_verified\":false,\"groups\":[\"eng\"]}",
                    "has not verified the address Victim@corp.io");
            refused(h, "attacker-sub-999", "{\"email\":\"victim@corp.io\",\"groups\":[\"eng\"]}", "sent no email_verified claim");
            refused(h, "attacker-sub-999", "{\"email\":\"victim@corp.io\",\"email_verified\":\"no\",\"groups\":[\"eng\"]}",
                    "has not verified");
        }
    }

    @Test
    void emailDomainsCompareInAsciiOnlyAndLookalikesAreRefusedPlainly() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, "allowed-email-domains: [corp.io]\n")) {
            // U+0131 (dotless i) folds to I under equalsIgnoreCase: corp.\u0131o is another registrable domain.
            refused(h, "lookalike-sub-1", "{\"email\":\"mallory@corp.\u0131o\",\"email_verified\":true,\"groups\":[\"eng\"]}",
                    "outside ASCII");
        }
    }

    @Test
    void groupsPastTheCapNeverDropTheOnesPolicyNamesAndTooManyAreRefused() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, "models: {groups: {contractors: {deny: [\"claude-sonnet-*\"]}}}\n")) {
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 120; i++) {
                many.append("\"g-").append(i).append("\",");
            }
            // eng (the team rule) and contractors (a deny) listed after 120 others: both must count
            JsonNode token = OAuth.signIn(h, new Browser(), "cora-sub", "{\"email\":\"cora@corp.example\",\"email_verified\":true,"
                    + "\"groups\":[" + many + "\"eng\",\"contractors\"]}");
            assertThat(h.gateway().signin().sessions().groups("cora@corp.example")).hasSize(100).contains("eng", "contractors");
            HttpResponse<String> sonnet = OAuth.message(h.url(), token.get("access_token").asText());
            assertThat(sonnet.statusCode()).as(sonnet.body()).isEqualTo(400);

            StringBuilder tooMany = new StringBuilder();
            for (int i = 0; i <= dev.sluice.signin.session.Directory.MAX_READ_GROUPS; i++) {
                tooMany.append("\"g-").append(i).append("\",");
            }
            refused(h, "carl-sub", "{\"email\":\"carl@corp.example\",\"email_verified\":true,\"groups\":[" + tooMany
                    + "\"eng\"]}", "more than " + dev.sluice.signin.session.Directory.MAX_READ_GROUPS + " groups");
        }
    }

    @Test
    void theFirstSignInHeldForACodeWinsAndTheClientIsShownByItsProductTokenOnly() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            HttpResponse<String> r = Http.send(HttpRequest.newBuilder(URI.create(h.url() + "/oauth/device_authorization"))
                    .header("content-type", "application/x-www-form-urlencoded").header("user-agent", "claude-cli/2.0 (your laptop, verified)")
                    .POST(HttpRequest.BodyPublishers.ofString("surface=claude_code")).build());
            JsonNode device = Http.json(r.body());
            String uri = device.get("verification_uri_complete").asText();
            String code = device.get("user_code").asText();
            Browser developer = new Browser();
            HttpResponse<String> held = developer.signInAtIdp(uri, code, "dev-sub",
                    "{\"email\":\"dev@corp.example\",\"email_verified\":true,\"groups\":[\"eng\"]}");
            assertThat(held.statusCode()).as(held.body()).isEqualTo(200);
            assertThat(held.body()).contains("claude-cli/2.0").doesNotContain("your laptop");
            HttpResponse<String> other = new Browser().signInAtIdp(uri, code, "mal-sub",
                    "{\"email\":\"mal@corp.example\",\"email_verified\":true,\"groups\":[\"eng\"]}");
            assertThat(other.statusCode()).as("a second sign-in for a held code").isEqualTo(400);
            assertThat(other.body()).contains("already waiting");
            assertThat(developer.confirm(URI.create(h.url()), held.body(), "approve").statusCode()).isEqualTo(200);
            JsonNode token = OAuth.eventually(Duration.ofSeconds(10), () -> {
                HttpResponse<String> p = OAuth.poll(h.url(), device.get("device_code").asText());
                return p.statusCode() == 200 ? Http.json(p.body()) : null;
            });
            assertThat(token.get("email").asText()).as("the developer's own account, not the second one").isEqualTo("dev@corp.example");
        }
    }

    @Test
    void aSecondIdpAccountPresentingADevelopersAddressIsRefused() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            JsonNode first = OAuth.signIn(h, new Browser(), VICTIM); // the victim's own account binds the address
            assertThat(first.get("email").asText()).isEqualTo("Victim@corp.io");
            refused(h, "attacker-sub-999", "{\"email\":\"VICTIM@corp.io\",\"email_verified\":true,\"groups\":[\"eng\"]}",
                    "with another identity-provider account");
            assertThat(OAuth.signIn(h, new Browser(), VICTIM).get("email").asText()).as("the bound account still signs in")
                    .isEqualTo("Victim@corp.io");
            assertThat(h.admin("POST", "/admin/users/victim@corp.io/idp-account/forget", null).get("forgotten").asBoolean())
                    .as("an operator moves the developer to another IdP account").isTrue();
            assertThat(OAuth.signIn(h, new Browser(), "new-sub-1", VICTIM).get("email").asText()).as("the new account binds")
                    .isEqualTo("Victim@corp.io");
            assertThat(h.admin("POST", "/admin/users/nobody@corp.io/idp-account/forget", null).get("forgotten").asBoolean()).isFalse();
        }
    }

    @Test
    void anIdpThatVerifiesEveryAddressMayOmitTheClaimAndPromptIsSentWhenConfigured() throws Exception {
        try (SigninHarness h = SigninHarness.builder(data).oidc("prompt: login, idp-verifies-emails: true").start()) {
            JsonNode device = OAuth.device(h.url(), "surface=claude_code");
            Browser browser = new Browser();
            HttpResponse<String> page = browser.signInAtIdp(device.get("verification_uri_complete").asText(),
                    device.get("user_code").asText(), "dev-sub", "{\"email\":\"dev@corp.io\",\"groups\":[\"eng\"]}");
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            assertThat(page.body()).contains("Approve sign-in");
            assertThat(browser.lastAuthorize()).contains("prompt=login");
            refused(h, "other-sub", "{\"email\":\"other@corp.io\",\"email_verified\":false,\"groups\":[\"eng\"]}", "has not verified");
        }
    }

    private static void refused(SigninHarness h, String sub, String claims, String why) throws Exception {
        JsonNode device = OAuth.device(h.url(), "surface=claude_code");
        HttpResponse<String> page = new Browser().signInAtIdp(device.get("verification_uri_complete").asText(),
                device.get("user_code").asText(), sub, claims);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(403);
        assertThat(page.body()).contains(why);
        assertThat(Http.json(OAuth.poll(h.url(), device.get("device_code").asText()).body()).get("error").asText())
                .isEqualTo("access_denied");
    }

    private HttpResponse<String> post(String url, String form, String origin, String fetchSite, String cookie) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/x-www-form-urlencoded");
        if (origin != null) {
            b.header("origin", origin);
        }
        if (fetchSite != null) {
            b.header("sec-fetch-site", fetchSite);
        }
        if (cookie != null) {
            b.header("cookie", "sluice_device=" + cookie);
        }
        return raw.send(b.POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
