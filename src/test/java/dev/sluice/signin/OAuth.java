package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The client side of the protocol, as Claude Code sends it: form posts, no client id, the bearer on messages. */
final class OAuth {
    static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

    private OAuth() {
    }

    static HttpResponse<String> form(String url, String body) {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("content-type", "application/x-www-form-urlencoded").header("user-agent", "claude-code/2.1.330")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    static JsonNode device(String base, String body) {
        HttpResponse<String> r = form(base + "/oauth/device_authorization", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Http.json(r.body());
    }

    static HttpResponse<String> token(String base, String body) {
        return form(base + "/oauth/token", body);
    }

    static HttpResponse<String> poll(String base, String deviceCode) {
        return token(base, "grant_type=" + DEVICE_GRANT + "&device_code=" + deviceCode);
    }

    static HttpResponse<String> message(String base, String bearer) {
        return Http.send(HttpRequest.newBuilder(URI.create(base + "/v1/messages")).timeout(Duration.ofSeconds(20))
                .header("authorization", "Bearer " + bearer).header("anthropic-version", "2023-06-01")
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"claude-sonnet-4-5-20250929\",\"max_tokens\":16,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build());
    }

    /** The first non-null value of {@code probe}, asked every 250 ms (polite to rate limits), within {@code timeout}. */
    static <T> T eventually(Duration timeout, java.util.function.Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v = probe.get();
            if (v != null) {
                return v;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
    }

    /** A complete sign-in; the token answer. */
    static JsonNode signIn(SigninHarness h, Browser browser, String claims) throws Exception {
        return signIn(h, browser, "dev", claims);
    }

    /** As {@link #signIn(SigninHarness, Browser, String)}, as the IdP account {@code sub}. */
    static JsonNode signIn(SigninHarness h, Browser browser, String sub, String claims) throws Exception {
        JsonNode device = device(h.url(), "surface=claude_code");
        HttpResponse<String> page = browser.approve(device.get("verification_uri_complete").asText(),
                device.get("user_code").asText(), sub, claims);
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        String code = device.get("device_code").asText();
        return eventually(Duration.ofSeconds(10), () -> {
            HttpResponse<String> r = poll(h.url(), code);
            return r.statusCode() == 200 ? Http.json(r.body()) : null;
        });
    }
}
