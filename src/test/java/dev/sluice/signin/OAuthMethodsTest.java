package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attack round 30: a method an OAuth endpoint does not take is a 405 with {@code Allow} in the OAuth envelope. The
 * discovery document answered any method (a DELETE or a POST got the document, 200), and the other endpoints' 405s
 * carried no {@code Allow}.
 */
class OAuthMethodsTest {
    @TempDir
    Path data;

    @Test
    void otherMethodsAre405WithAllow() {
        try (SigninHarness h = SigninHarness.builder(data).noIdp().start()) {
            for (String method : new String[] {"DELETE", "POST", "PUT"}) {
                HttpResponse<String> r = send(h, method, "/.well-known/oauth-authorization-server");
                assertThat(r.statusCode()).as(method + ": " + r.body()).isEqualTo(405);
                assertThat(r.headers().firstValue("allow")).hasValue("GET, HEAD");
                assertThat(Http.json(r.body()).get("error").asText()).isEqualTo("invalid_request");
            }
            assertThat(send(h, "GET", "/.well-known/oauth-authorization-server").statusCode()).isEqualTo(200);
            for (String path : new String[] {"/oauth/token", "/oauth/device_authorization", "/oauth/revoke"}) {
                HttpResponse<String> r = send(h, "GET", path);
                assertThat(r.statusCode()).as(path).isEqualTo(405);
                assertThat(r.headers().firstValue("allow")).as(path).hasValue("POST");
                assertThat(Http.json(r.body()).get("error_description").asText()).isEqualTo("use POST");
            }
        }
    }

    private static HttpResponse<String> send(SigninHarness h, String method, String path) {
        return Http.send(HttpRequest.newBuilder(URI.create(h.url() + path)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build());
    }
}
