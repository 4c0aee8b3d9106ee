package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.CaptureCalls;
import dev.sluice.cache.Captures;
import dev.sluice.sim.ReceivedRequest;
import dev.sluice.sim.SimOptions;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Json;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fork breakpoints through a real gateway over {@code sluice sim} and its prompt-cache emulation: three different
 * first questions in Claude Code 2.1.330's real first request. On a {@code fork-breakpoint} route the second question
 * gets a breakpoint on the last block it shares with the first (Claude Code's injected reminders), so the third reads
 * the reminders from the provider's cache instead of writing them again; on a route without it nothing is added.
 */
class ForkThroughGatewayTest {
    private static final String ON = "claude-opus-5-5";
    private static final String OFF = "claude-opus-4-1";
    private static final String QUESTION = "What does the add function in this repository do? Look at the code before answering.";
    private static SluiceHarness gw;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        gw = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                cache:
                  routes:
                    - {match: "%s", fork-breakpoint: true}
                """.formatted(ON), SimOptions.defaults().withInstances(1));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String ask(String question, String model) {
        return new String(Captures.body("alice-turn1"), UTF_8).replace(QUESTION, question)
                .replace("\"model\":\"claude-opus-5-5\"", "\"model\":\"" + model + "\"");
    }

    @Test
    void theThirdQuestionReadsWhatTheFirstTwoShare() throws Exception {
        Answer first = send(ask("Where is mean defined?", ON));
        Answer second = send(ask("Which files mention mean?", ON));
        Answer third = send(ask("How many tests are there?", ON));

        assertThat(first.fork()).isNull();
        assertThat(second.fork()).isEqualTo("1");
        assertThat(third.fork()).isEqualTo("1");
        // the first writes everything; the second reads the system prompt and tools (cached by Claude Code's own
        // breakpoints) and writes the rest; the third also reads the reminders the second marked
        assertThat(second.cacheRead()).isPositive();
        assertThat(third.cacheRead()).as("the reminders are read, not written").isGreaterThan(second.cacheRead() + 200);
        assertThat(third.cacheWrite()).isLessThan(second.cacheWrite() - 200);

        List<ReceivedRequest> seen = gw.recorder().received();
        JsonNode marked = Json.MAPPER.readTree(seen.get(seen.size() - 1).body());
        assertThat(marked.at("/messages/0/content/1/cache_control/type").asText()).isEqualTo("ephemeral");
        assertThat(marked.at("/messages/0/content/2").has("cache_control")).isFalse();
    }

    @Test
    void aRouteWithoutItForwardsTheBodyAsSent() throws Exception {
        String a = ask("Where is mean defined?", OFF);
        String b = ask("Which files mention mean?", OFF);
        send(a);
        Answer second = send(b);
        assertThat(second.fork()).isNull();
        List<ReceivedRequest> seen = gw.recorder().received();
        assertThat(new String(seen.get(seen.size() - 1).body(), UTF_8)).isEqualTo(b);
    }

    private record Answer(int cacheRead, int cacheWrite, String fork) {
    }

    private Answer send(String body) throws Exception {
        HttpResponse<String> r = http.send(CaptureCalls.request(gw, body).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        int read = 0;
        int write = 0;
        for (JsonNode data : CaptureCalls.events(r.body())) {
            if (data.path("type").asText().equals("message_start")) {
                read = data.path("message").path("usage").path("cache_read_input_tokens").asInt();
                write = data.path("message").path("usage").path("cache_creation_input_tokens").asInt();
            }
        }
        return new Answer(read, write, r.headers().firstValue("x-sluice-prompt-cache-fork").orElse(null));
    }
}
