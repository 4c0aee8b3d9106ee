package dev.sluice.guard.stage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.guard.FakeSecrets;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.testing.StubServer;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The external policy webhook on the request path: it sees a summary (who, model, size, the findings' rules and
 * places; never the content), its {@code block} refuses the request with its reason and rule id, and a webhook that
 * does not answer in time lets the request through (fail-open) or refuses it (fail-closed).
 */
class GuardWebhookTest {
    private static final List<String> CALLS = new CopyOnWriteArrayList<>();
    private static final List<String> AUTH = new CopyOnWriteArrayList<>();
    /** What the webhook does: "allow", "block", "slow" (answers after 2 s) or "error" (500). */
    private static volatile String mode = "allow";
    private static final StubServer HOOK = start();

    static final String YAML = SluiceHarness.BASE_YAML + """
            guard:
              enabled: true
              rules: {pii: [email]}
              actions: {pii: flag}
              webhook: {url: "http://127.0.0.1:%d/check", timeout: 300ms, fail-mode: FAIL, token: hook-token-123, call: CALL}
            """.formatted(HOOK.port());

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(YAML.replace("FAIL", "open").replace("CALL", "findings"));

    private static StubServer start() {
        return StubServer.start((req, b) -> {
            CALLS.add(b.toString());
            AUTH.add(String.valueOf(req.getHeader("authorization")));
            switch (mode) {
                case "block" -> req.response().putHeader("content-type", "application/json")
                        .end("{\"block\":true,\"reason\":\"customer data may not go to this model\",\"rule_id\":\"DLP-7\"}");
                case "slow" -> HOOK.vertx().setTimer(2_000, t -> req.response().end("{\"block\":false}"));
                case "error" -> req.response().setStatusCode(500).end("oops");
                default -> req.response().end("{\"block\":false}");
            }
        });
    }

    @AfterAll
    static void stop() {
        HOOK.close();
    }

    @BeforeEach
    void reset() {
        CALLS.clear();
        AUTH.clear();
        mode = "allow";
    }

    private static String withEmail() {
        return new Turns("Who owns this?").read("/repo/OWNERS", "owner: ana.silva@acme-payments.io\n").body();
    }

    @Test
    void theWebhookSeesASummaryNeverTheContentAndItsBlockRefusesTheRequest() {
        mode = "block";
        HttpResponse<String> resp = Turns.send(SLUICE.gatewayUrl(), withEmail());
        assertThat(resp.statusCode()).isEqualTo(400);
        JsonNode error = Http.json(resp.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo("policy_blocked");
        assertThat(error.path("message").asText()).contains("(rule DLP-7): customer data may not go to this model");
        assertThat(SLUICE.recorder().received()).isEmpty();

        assertThat(CALLS).hasSize(1);
        JsonNode summary = Http.json(CALLS.getFirst());
        assertThat(summary.path("request_id").asText()).isEqualTo(Http.json(resp.body()).path("request_id").asText());
        assertThat(summary.path("model").asText()).isEqualTo(SluiceHarness.MODEL);
        assertThat(summary.path("findings").get(0).path("rule").asText()).isEqualTo("email");
        assertThat(summary.path("findings").get(0).path("location").asText()).contains("messages[2].content[0]");
        assertThat(CALLS.getFirst()).doesNotContain("ana.silva").doesNotContain("acme-payments");
        assertThat(AUTH).containsExactly("Bearer hook-token-123");
    }

    @Test
    void anAllowingWebhookLetsTheFlaggedRequestThrough() {
        HttpResponse<String> resp = Turns.send(SLUICE.gatewayUrl(), withEmail());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(CALLS).hasSize(1);
        assertThat(SLUICE.recorder().received()).hasSize(1);
    }

    @Test
    void withCallFindingsACleanRequestDoesNotWaitForTheWebhook() {
        HttpResponse<String> resp = Turns.send(SLUICE.gatewayUrl(), new Turns("hello").body());
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(CALLS).isEmpty();
    }

    @Test
    void aWebhookThatDoesNotAnswerInTimeFailsOpenOrClosedAsConfigured(SluiceHarness h) {
        mode = "slow";
        long t0 = System.nanoTime();
        HttpResponse<String> open = Turns.send(SLUICE.gatewayUrl(), withEmail());
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(open.statusCode()).isEqualTo(200);
        assertThat(millis).as("waited for the timeout, not the webhook").isLessThan(1_800);
        String id = open.headers().firstValue("request-id").orElseThrow();
        assertThat(Turns.ledger(SLUICE.gatewayUrl(), id).path("attempts").get(0).path("guard_verdict").asText())
                .isEqualTo("flag: flag email@messages[2].content[0] (tool_result), line 1; pass webhook (timeout)");
        try {
            h.gateway().live().apply(YAML.replace("FAIL", "closed").replace("CALL", "always"), "test", "test", "test");
            mode = "error";
            HttpResponse<String> closed = Turns.send(SLUICE.gatewayUrl(), new Turns("hello").body());
            assertThat(closed.statusCode()).isEqualTo(400);
            assertThat(Http.json(closed.body()).path("error").path("message").asText())
                    .contains("the organisation's policy service could not be reached").contains("HTTP 500").contains("failing closed");
            mode = "allow";
            assertThat(Turns.send(SLUICE.gatewayUrl(), new Turns("hello again").body()).statusCode()).isEqualTo(200);
            assertThat(Http.json(CALLS.getLast()).path("findings")).isEmpty();
        } finally {
            h.gateway().live().apply(YAML.replace("FAIL", "open").replace("CALL", "findings"), "test", "test", "test");
        }
    }
}
