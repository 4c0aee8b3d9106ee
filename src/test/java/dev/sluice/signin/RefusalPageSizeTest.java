package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: a refusal names the developer's groups, which the IdP may list by the thousand at 256 characters
 * each. The page (and the log line beside it) named every one: 500 groups of 100 characters made a 55 KB page. It
 * names the first twenty and how many more.
 */
class RefusalPageSizeTest {
    @TempDir
    Path data;

    @Test
    void aRefusalNamesTheFirstGroupsAndHowManyMore() throws Exception {
        try (SigninHarness h = SigninHarness.start(data, null)) {
            StringBuilder groups = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                groups.append(i == 0 ? "" : ",").append("\"g-").append(i).append('-').append("x".repeat(100)).append('"');
            }
            JsonNode device = OAuth.device(h.url(), "surface=claude_code");
            HttpResponse<String> page = new Browser().signInAtIdp(device.get("verification_uri_complete").asText(),
                    device.get("user_code").asText(), "many-sub",
                    "{\"email\":\"many@corp.example\",\"email_verified\":true,\"groups\":[" + groups + "]}");
            assertThat(page.statusCode()).as(page.body().substring(0, Math.min(400, page.body().length()))).isEqualTo(403);
            assertThat(page.body()).contains("no team on this gateway takes your groups [g-0-").contains("g-19-")
                    .doesNotContain("g-20-").contains(", and 480 more]");
            assertThat(page.body().length()).isLessThan(16 * 1024);
            assertThat(Http.json(OAuth.poll(h.url(), device.get("device_code").asText()).body()).get("error").asText())
                    .isEqualTo("access_denied");
        }
    }
}
