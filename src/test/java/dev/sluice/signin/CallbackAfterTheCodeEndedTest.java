package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: the IdP sends the browser back for a code that is no longer pending (a second tab of the same
 * code was declined, or the code expired while the developer was at the IdP). The page must say so; it used to
 * fail on a null grant after the flow was taken, and the browser waited for an answer that never came.
 */
class CallbackAfterTheCodeEndedTest {
    private static final Pattern STATE = Pattern.compile("[?&]state=([^&]+)");

    @TempDir
    Path data;

    @Test
    void anIdpReturnForACodeNoLongerPendingIsAnsweredWithAPage() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            JsonNode device = OAuth.device(h.url(), "surface=claude_code");
            String code = device.get("user_code").asText();
            Browser browser = new Browser();
            String csrf = Browser.field(browser.get(device.get("verification_uri_complete").asText()).body(), "csrf");
            // Two tabs of the same code: two browser sign-ins under way at the IdP.
            String first = state(browser.post(URI.create(h.url() + "/device"), "csrf=" + csrf + "&user_code=" + code));
            String second = state(browser.post(URI.create(h.url() + "/device"), "csrf=" + csrf + "&user_code=" + code));

            HttpResponse<String> declined = browser.get(h.url() + "/device/callback?state=" + first + "&error=access_denied");
            assertThat(declined.statusCode()).as(declined.body()).isEqualTo(403);
            assertThat(Http.json(OAuth.poll(h.url(), device.get("device_code").asText()).body()).get("error").asText())
                    .isEqualTo("access_denied");

            for (String query : new String[] {"&error=access_denied", "&code=abc"}) {
                String state = query.startsWith("&error") ? second
                        : state(browser.post(URI.create(h.url() + "/device"), "csrf=" + csrf + "&user_code=" + code));
                if (state == null) {
                    continue; // the code is no longer pending: no new sign-in can start for it
                }
                HttpResponse<String> late = browser.get(h.url() + "/device/callback?state=" + state + query);
                assertThat(late.statusCode()).as(late.body()).isEqualTo(400);
                assertThat(late.body()).contains("This code expired");
            }
        }
    }

    private static String state(HttpResponse<String> toIdp) {
        if (toIdp.statusCode() != 303) {
            return null;
        }
        Matcher m = STATE.matcher(toIdp.headers().firstValue("location").orElseThrow());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
