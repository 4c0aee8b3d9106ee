package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: the OAuth endpoints read a form as its encoding and RFC 6749 §3.1 have it. A field given twice is an
 * {@code invalid_request} (the first copy was taken, so a proxy in front reading the last judged another request than
 * the one answered), only {@code &} separates fields ({@code ;} split them too, so
 * {@code grant_type=refresh_token;refresh_token=…} was a refresh), and fields past the cap are refused rather than
 * dropped unseen.
 */
class OAuthFormFieldsTest {
    @TempDir
    Path data;

    @Test
    void repeatedFieldsSemicolonsAndTooManyFieldsAreRefusedInTheOAuthEnvelope() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().start()) {
            String base = h.url();
            refused(OAuth.token(base, "grant_type=refresh_token&grant_type=" + OAuth.DEVICE_GRANT + "&device_code=x"),
                    "grant_type is given more than once");
            refused(OAuth.token(base, "grant_type=refresh_token&refresh_token=a&refresh_token=b"), "refresh_token is given more than once");
            refused(OAuth.form(base + "/oauth/device_authorization", "surface=claude_code&surface=x"), "surface is given more than once");
            refused(OAuth.form(base + "/oauth/revoke", "token=a&token=b"), "token is given more than once");
            refused(OAuth.token(base, "grant_type=refresh_token&refresh_token=a" + "&f=1".repeat(70)), "more than 64 fields");

            HttpResponse<String> semicolon = OAuth.token(base, "grant_type=refresh_token;refresh_token=abc");
            assertThat(semicolon.statusCode()).as(semicolon.body()).isEqualTo(400);
            assertThat(Http.json(semicolon.body()).get("error").asText()).isEqualTo("unsupported_grant_type");

            HttpResponse<String> plain = OAuth.token(base, "grant_type=refresh_token&refresh_token=abc&unknown=1");
            assertThat(plain.statusCode()).as("unknown fields are still ignored").isEqualTo(401);
            assertThat(Http.json(plain.body()).get("error").asText()).isEqualTo("invalid_grant");
        }
    }

    private static void refused(HttpResponse<String> r, String why) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.headers().firstValue("cache-control")).hasValue("no-store");
        JsonNode body = Http.json(r.body());
        assertThat(body.get("error").asText()).isEqualTo("invalid_request");
        assertThat(body.get("error_description").asText()).isEqualTo(why);
    }
}
