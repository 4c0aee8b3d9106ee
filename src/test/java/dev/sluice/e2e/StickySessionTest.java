package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceExtension;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conversation stays on the target that served it, moves only while that target fails, and comes
 * back when it recovers; the simulator's prompt cache (per upstream key) shows the cache reads this
 * kept: the second turn reads at home, the second turn away reads away, and the first turn back home
 * reads what the first turns wrote there.
 */
class StickySessionTest {
    static final String PRIMARY_KEY = "sk-ant-primary-sticky";

    @RegisterExtension
    static final SluiceExtension SLUICE = SluiceExtension.withConfig("""
            server: {port: 0, event-loops: 1}
            auth: {keys: ["${GATEWAY_KEY}"]}
            upstreams:
              - {name: primary, base-url: "${SIM_URL}", keys: [{alias: p1, value: %s}]}
              - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
            routes:
              - targets: [{upstream: primary}, {upstream: secondary}]
            """.formatted(PRIMARY_KEY));

    private final ObjectNode body = Http.JSON.createObjectNode();

    StickySessionTest() {
        body.put("model", SluiceHarness.MODEL).put("max_tokens", 64);
        body.putArray("system").addObject().put("type", "text")
                .put("text", "You are a careful reviewer. " + "Rules of the house, repeated for length. ".repeat(160))
                .putObject("cache_control").put("type", "ephemeral");
        body.putArray("messages");
    }

    @BeforeEach
    void coldCaches() {
        SLUICE.harness().sim().clearPromptCache();
    }

    @Test
    void aConversationFallsBackKeepsWarmWhereItWentAndReturnsHomeToItsCache() {
        String session = "sticky-conversation-1";
        JsonNode t1 = turn(session, "first question", false, "primary/p1");
        assertThat(cache(t1, "cache_creation_input_tokens")).as("turn 1 writes at home").isPositive();
        JsonNode t2 = turn(session, "second question", false, "primary/p1");
        long homePrefix = cache(t2, "cache_read_input_tokens");
        assertThat(homePrefix).as("turn 2 reads at home").isPositive();

        // Home fails: the conversation moves, and stays where it moved while home keeps failing.
        JsonNode t3 = turn(session, "third question", true, "secondary/s1");
        assertThat(cache(t3, "cache_read_input_tokens")).as("a cold cache away").isZero();
        JsonNode t4 = turn(session, "fourth question", true, "secondary/s1");
        assertThat(cache(t4, "cache_read_input_tokens")).as("turn 4 reads away").isEqualTo(homePrefix);

        // Home recovers: the conversation returns, and what turns 1-2 wrote there is read again.
        JsonNode t5 = turn(session, "fifth question", false, "primary/p1");
        assertThat(cache(t5, "cache_read_input_tokens")).as("home's cache was kept warm for it").isEqualTo(homePrefix);
        assertThat(cache(t5, "cache_creation_input_tokens")).isZero();
    }

    @Test
    void aConversationWithoutASessionIdIsKeptTogetherByItsPrefix() {
        // No session header: the system prompt, tools and first message identify the conversation.
        body.put("metadata", Http.JSON.createObjectNode());
        JsonNode t1 = turn(null, "prefix question", false, "primary/p1");
        assertThat(cache(t1, "cache_creation_input_tokens")).isPositive();
        JsonNode t2 = turn(null, "prefix follow-up", true, "secondary/s1");
        assertThat(cache(t2, "cache_read_input_tokens")).isZero();
        JsonNode t3 = turn(null, "prefix back home", false, "primary/p1");
        assertThat(cache(t3, "cache_read_input_tokens")).isPositive();
    }

    /** Sends the conversation so far plus a new user message; answers are appended to it. */
    private JsonNode turn(String session, String question, boolean homeFails, String expectServedBy) {
        ArrayNode messages = (ArrayNode) body.get("messages");
        messages.addObject().put("role", "user").put("content", question);
        String[] headers = homeFails
                ? new String[] {"x-sim-fault", "529", "x-sim-fault-key", PRIMARY_KEY}
                : new String[] {"x-sim-fault", "none"};
        if (session != null) {
            headers = java.util.stream.Stream.concat(java.util.Arrays.stream(headers),
                    java.util.stream.Stream.of("x-claude-code-session-id", session)).toArray(String[]::new);
        }
        HttpResponse<String> r = Http.post(SLUICE.gatewayUrl(), "/v1/messages", body.toString(), headers);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("x-sluice-served-by")).as(question).contains(expectServedBy);
        assertThat(r.headers().firstValue("x-sluice-attempts")).contains(homeFails ? "2" : "1");
        JsonNode answer = Http.json(r.body());
        messages.addObject().put("role", "assistant").set("content", answer.get("content"));
        return answer;
    }

    private static long cache(JsonNode answer, String field) {
        return answer.path("usage").path(field).asLong();
    }
}
