package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An exchange can take several upstream attempts: one that fails before anything reached the client
 * (529, 429, a connection error, an {@code overloaded_error} as the first stream event) is retried on
 * the upstream's next key, and every attempt is its own ledger record.
 */
class AttemptsTest {
    /** Two keys on one upstream; the simulator fails only requests made with the first. */
    static final String FAILING_KEY = "sk-ant-first-key-fails";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - {alias: first, value: %s}
                  - {alias: second, value: "${UPSTREAM_KEY}"}
            """.formatted(FAILING_KEY));

    @Test
    void aRequestWhoseFirstAttemptIsOverloadedSucceedsOnTheSecondWithTwoRecords() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("retry me", false),
                "x-sim-fault", "529", "x-sim-fault-key", FAILING_KEY, "x-claude-code-session-id", sessionOnFirstKey("overloaded"));
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-attempts")).contains("2");
        assertThat(resp.headers().firstValue("x-sluice-cost-usd")).hasValueSatisfying(c -> assertThat(Double.parseDouble(c)).isPositive());

        List<JsonNode> attempts = attemptsOf(resp);
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).path("status").asInt()).isEqualTo(529);
        assertThat(attempts.get(0).path("error_type").asText()).isEqualTo("overloaded_error");
        assertThat(attempts.get(0).path("cost_usd").asText()).isEqualTo("0");
        assertThat(attempts.get(0).path("upstream_key_alias").asText()).isEqualTo("first");
        assertThat(attempts.get(1).path("status").asInt()).isEqualTo(200);
        assertThat(attempts.get(1).path("error_type").isNull()).isTrue();
        assertThat(attempts.get(1).path("upstream_key_alias").asText()).isEqualTo("second");
        assertThat(attempts.get(1).path("usage").path("output_tokens").asLong()).isPositive();
        assertThat(SLUICE.recorder().received()).hasSize(2);
    }

    @Test
    void anOverloadedErrorAsTheFirstStreamEventIsRetriedBeforeAnyByteReachesTheClient() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("stream me", true),
                "x-sim-fault", "error-event:0", "x-sim-fault-key", FAILING_KEY, "x-claude-code-session-id", sessionOnFirstKey("first-event"));
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-attempts")).contains("2");
        // The client saw one clean answer: no error event, one message_start, one message_stop.
        assertThat(resp.body()).doesNotContain("event: error");
        assertThat(count(resp.body(), "event: message_start")).isEqualTo(1);
        assertThat(count(resp.body(), "event: message_stop")).isEqualTo(1);

        List<JsonNode> attempts = attemptsOf(resp);
        assertThat(attempts).extracting(a -> a.path("error_type").asText(null)).containsExactly("overloaded_error", null);
        // Both attempts belong to a streamed request, the one that failed before the answer began too.
        assertThat(attempts).allSatisfy(a -> assertThat(a.path("stream").asBoolean()).isTrue());
    }

    @Test
    void anErrorAfterTheAnswerBeganIsNotRetried() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("cut me", true),
                "x-sim-fault", "error-event:3", "x-sim-fault-key", FAILING_KEY, "x-claude-code-session-id", sessionOnFirstKey("began"));
        assertThat(resp.statusCode()).isEqualTo(200);
        assertThat(resp.headers().firstValue("x-sluice-attempts")).contains("1");
        assertThat(resp.body()).contains("event: message_start").contains("event: error");
        assertThat(attemptsOf(resp)).hasSize(1);
    }

    @Test
    void whenEveryAttemptFailsTheLastUpstreamAnswerIsRelayedAndEachIsRecorded() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("all busy", false),
                "x-sim-fault", "529");
        assertThat(resp.statusCode()).isEqualTo(529);
        assertThat(Http.json(resp.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(attemptsOf(resp)).extracting(a -> a.path("status").asInt()).containsExactly(529, 529);
        // the id the developer quotes is the gateway's (its ledger's); the upstream's is kept on a header
        String ours = resp.headers().firstValue("request-id").orElseThrow();
        assertThat(Http.json(resp.body()).path("request_id").asText()).isEqualTo(ours);
        assertThat(resp.headers().firstValue("x-sluice-upstream-request-id")).hasValueSatisfying(
                theirs -> assertThat(theirs).startsWith("req_").isNotEqualTo(ours));
    }

    @Test
    void whenEveryStreamOpensWithAnOverloadedErrorTheClientGetsA529NotA200() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("all busy streaming", true),
                "x-sim-fault", "error-event:0");
        assertThat(resp.statusCode()).as(resp.body()).isEqualTo(529);
        assertThat(resp.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(Http.json(resp.body()).path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(Http.json(resp.body()).path("request_id").asText()).isEqualTo(resp.headers().firstValue("request-id").orElseThrow());
        assertThat(attemptsOf(resp)).extracting(a -> a.path("error_type").asText()).containsExactly("overloaded_error", "overloaded_error");
    }

    @Test
    void aClientErrorIsNotRetried() {
        HttpResponse<String> resp = Http.post(SLUICE.gatewayUrl(), "/v1/messages", Http.userMessage("bad", false),
                "x-sim-fault", "500");
        assertThat(resp.statusCode()).isEqualTo(500);
        assertThat(resp.headers().firstValue("x-sluice-attempts")).contains("1");
    }

    /**
     * A new conversation whose first attempt goes to the first of the two idle keys (the retry then moves
     * to the second). New per test: a conversation stays on the key that served it, so one reused
     * across tests would start on the second key.
     */
    private static String sessionOnFirstKey(String name) {
        for (int i = 0; ; i++) {
            String s = name + "-session-" + i;
            if (Math.floorMod(s.hashCode(), 2) == 0) {
                return s;
            }
        }
    }

    /** The request's ledger records, read back the way a client reads its own cost. */
    static List<JsonNode> attemptsOf(HttpResponse<String> resp) {
        return Http.attempts(SLUICE.gatewayUrl(), resp);
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
