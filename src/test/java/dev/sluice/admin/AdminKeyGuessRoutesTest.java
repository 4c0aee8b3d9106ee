package dev.sluice.admin;

import dev.sluice.authenticate.CredentialGuesses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The routes beside the admin API that compare admin keys on the gateway's own listener ({@code GET /sluice/v1/routing},
 * either role; {@code POST /sluice/v1/feedback}, a write key rates any request) count wrong credentials in the admin
 * API's table. Before, each answered 200/404 for a right key and 401 for a wrong one to any number of guesses, on the
 * API's port, whatever {@link CredentialGuesses} held.
 */
class AdminKeyGuessRoutesTest {
    private static final String YAML = SluiceHarness.BASE_YAML + """
            admin:
              keys: [{value: "sk-admin-guess-routes-0123456789", role: write, name: ops}]
            """;

    @Test
    void routingStatusGuessesRunOutAndTheAdminApiIsThrottledToo() {
        try (SluiceHarness h = SluiceHarness.start(YAML)) {
            for (int i = 0; i < CredentialGuesses.BURST; i++) {
                assertThat(routing(h, "guess-" + i).statusCode()).isEqualTo(401);
            }
            HttpResponse<String> refused = routing(h, "guess-last");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
            assertThat(refused.headers().firstValue("retry-after")).isPresent();
            HttpResponse<String> admin = Http.send(HttpRequest.newBuilder(java.net.URI.create(h.gatewayUrl() + "/admin/orgs"))
                    .header("authorization", "Bearer another-guess").GET().build());
            assertThat(admin.statusCode()).isEqualTo(429);
        }
    }

    @Test
    void feedbackGuessesRunOutButACallersOwnKeyIsNotAGuess() {
        try (SluiceHarness h = SluiceHarness.start(YAML)) {
            String body = "{\"request_id\":\"req_unknown\",\"rating\":\"up\"}";
            for (int i = 0; i < 2 * CredentialGuesses.BURST; i++) { // the gateway's key: a 404 for the unknown id, never counted
                assertThat(Http.post(h.gatewayUrl(), "/sluice/v1/feedback", body).statusCode()).isEqualTo(404);
            }
            for (int i = 0; i < CredentialGuesses.BURST; i++) {
                assertThat(Http.post(h.gatewayUrl(), "/sluice/v1/feedback", body, "x-api-key", "guess-" + i).statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> refused = Http.post(h.gatewayUrl(), "/sluice/v1/feedback", body, "x-api-key", "guess-last");
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
        }
    }

    private static HttpResponse<String> routing(SluiceHarness h, String key) {
        return Http.send(HttpRequest.newBuilder(java.net.URI.create(h.gatewayUrl() + "/sluice/v1/routing"))
                .header("authorization", "Bearer " + key).GET().build());
    }
}
