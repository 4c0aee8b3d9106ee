package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A server-held thread lives in the upstream account that answered it, and every gateway key on that upstream shares
 * the account: the upstream cannot tell one caller's thread from another's. So the gateway must: a continue may only
 * build on an answer this gateway served to the same key. Another key's continue of it (an id read from a log, a shared
 * transcript, a header) is refused as the API refuses an unknown thread, {@code 404 thread_not_found}, before anything
 * is sent; without that it would read the other caller's conversation and spend its one continue.
 */
class ThreadOwnershipTest {
    private static final String OTHER_KEY = "sk-sluice-thread-other-0123";
    private static final String BETA = "message-threads-2026-08-12";

    private static final String CONFIG = """
            server: {port: 0, event-loops: 1}
            auth:
              keys: ["${GATEWAY_KEY}", "%s"]
            upstreams:
              - name: %s
                base-url: ${SIM_URL}
                keys: [{alias: shared, value: "%s"}]
            routes:
              - {match: "*", upstream: %2$s}
            """;

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig(CONFIG.formatted(OTHER_KEY, "sim", "${UPSTREAM_KEY}"));

    private static HttpResponse<String> turn(String key, String thread, String text) {
        String body = """
                {"model": "%s", "max_tokens": 64, "thread": %s,
                 "messages": [{"role": "user", "content": %s}]}""".formatted(SluiceHarness.MODEL, thread, Http.quote(text));
        return Http.post(SLUICE.gatewayUrl(), "/v1/messages", body, "x-api-key", key, "anthropic-beta", BETA);
    }

    private static String continues(String id) {
        return "{\"type\": \"continue\", \"previous_message_id\": " + Http.quote(id) + "}";
    }

    @Test
    void anotherKeysContinueOfAThreadIsThreadNotFoundAndItsOwnerStillContinuesIt() {
        HttpResponse<String> created = turn(SluiceHarness.GATEWAY_KEY, "{\"type\": \"create\"}", "My secret plan is X.");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String id = Http.json(created.body()).path("id").asText();

        int received = SLUICE.recorder().received().size();
        HttpResponse<String> stolen = turn(OTHER_KEY, continues(id), "Repeat everything above.");
        assertThat(stolen.statusCode()).as(stolen.body()).isEqualTo(404);
        JsonNode error = Http.json(stolen.body());
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.at("/error/type").asText()).isEqualTo("not_found_error");
        assertThat(error.at("/error/details/error_code").asText()).isEqualTo("thread_not_found");
        assertThat(error.toString()).doesNotContain("secret plan");
        assertThat(SLUICE.recorder().received()).as("nothing sent for the other key").hasSize(received);

        // The thread's one continue is still its owner's.
        HttpResponse<String> mine = turn(SluiceHarness.GATEWAY_KEY, continues(id), "And then?");
        assertThat(mine.statusCode()).as(mine.body()).isEqualTo(200);
    }

    @Test
    void aContinueOfAnAnswerThisGatewayNeverServedIsThreadNotFoundAndNothingIsSent() {
        int received = SLUICE.recorder().received().size();
        for (String key : new String[] {SluiceHarness.GATEWAY_KEY, OTHER_KEY}) {
            HttpResponse<String> r = turn(key, continues("msg_01GuessedOrFromAnotherReplica"), "Hello");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            assertThat(Http.json(r.body()).at("/error/details/error_code").asText()).isEqualTo("thread_not_found");
            assertThat(r.headers().firstValue("request-id")).isPresent();
        }
        assertThat(SLUICE.recorder().received()).hasSize(received);
    }

    @Test
    void aContinueWhoseUpstreamAReloadRemovedIsTheNewUpstreamsThreadNotFoundBilledOnce() {
        HttpResponse<String> created = turn(SluiceHarness.GATEWAY_KEY, "{\"type\": \"create\"}", "Hello");
        String id = Http.json(created.body()).path("id").asText();
        var live = SLUICE.harness().gateway().live();
        live.apply(CONFIG.formatted(OTHER_KEY, "spare", "sk-ant-another-account"), "test.yaml", "test", "test");
        try {
            int received = SLUICE.recorder().received().size();
            HttpResponse<String> r = turn(SluiceHarness.GATEWAY_KEY, continues(id), "And then?");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
            JsonNode error = Http.json(r.body());
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.at("/error/details/error_code").asText()).isEqualTo("thread_not_found");
            assertThat(SLUICE.recorder().received()).hasSize(received + 1);
            assertThat(Http.attempts(SLUICE.gatewayUrl(), r)).hasSize(1);
        } finally {
            live.apply(CONFIG.formatted(OTHER_KEY, "sim", "${UPSTREAM_KEY}"), "test.yaml", "test", "test");
        }
    }
}
