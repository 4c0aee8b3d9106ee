package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.pipeline.RequestBody;
import org.junit.jupiter.api.Test;

/**
 * {@link ForkBreakpoint}: two developers' first questions about one repository share the system prompt, the tools and
 * Claude Code's injected reminders, and fork at the question; the second question gets a breakpoint on the last shared
 * block, so a third reads it from the provider's cache.
 */
class ForkBreakpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALICE = "What does the add function in this repository do? Look at the code before answering.";

    @Test
    void theSecondQuestionGetsABreakpointOnTheLastBlockItSharesWithTheFirst() throws Exception {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        assertThat(forks.apply(first, key(first), "org-a")).isEqualTo(-1);
        assertThat(first.edited()).isFalse();

        RequestBody second = RequestBody.of(question("Where is mean defined?"));
        int at = forks.apply(second, key(second), "org-a");

        assertThat(at).isPositive();
        JsonNode sent = JSON.readTree(second.bytes().getBytes());
        JsonNode opening = sent.at("/messages/0/content");
        assertThat(opening.get(1).get("cache_control")).isEqualTo(JSON.readTree("{\"type\":\"ephemeral\"}"));
        assertThat(opening.get(0).has("cache_control")).isFalse();
        assertThat(opening.get(2).has("cache_control")).isFalse();
        assertThat(sent.at("/messages/1/content/0/cache_control").isObject()).isTrue(); // the client's own, kept
        assertThat(forks.added()).isEqualTo(1);
        // apart from the marker the body is what the client sent
        assertThat(second.bytes().toString(UTF_8).replace(",\"cache_control\":{\"type\":\"ephemeral\"}", ""))
                .isEqualTo(new String(second.array(), 0, second.length(), UTF_8).replace(",\"cache_control\":{\"type\":\"ephemeral\"}", ""));
    }

    @Test
    void anotherOrgsPromptsAreNotForks() {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        forks.apply(first, key(first), "org-a");
        RequestBody other = RequestBody.of(question("Where is mean defined?"));
        assertThat(forks.apply(other, key(other), "org-b")).isEqualTo(-1);
        assertThat(other.edited()).isFalse();
    }

    @Test
    void theSameQuestionAgainForksAfterTheQuestion() throws Exception {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        forks.apply(first, key(first), "org-a");
        // the same question after a commit: the environment block (git status) differs, the question does not
        RequestBody again = RequestBody.of(new String(Captures.body("alice-turn1"), UTF_8)
                .replaceFirst("# Environment", "# Environment (after a commit)").getBytes(UTF_8));
        assertThat(forks.apply(again, key(again), "org-a")).isPositive();
        JsonNode sent = JSON.readTree(again.bytes().getBytes());
        assertThat(sent.at("/messages/0/content/2/cache_control").isObject()).isTrue();
        assertThat(sent.at("/messages/0/content/1").has("cache_control")).isFalse();
    }

    @Test
    void noSlotIsTakenWhenTheClientUsesAllFour() {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        forks.apply(first, key(first), "org-a");
        String four = new String(question("Where is mean defined?"), UTF_8)
                .replaceFirst("\"tools\":\\[\\{", "\"tools\":[{\"cache_control\":{\"type\":\"ephemeral\"},");
        RequestBody second = RequestBody.of(four.getBytes(UTF_8));
        assertThat(key(second).breakpoints()).hasSize(4);
        assertThat(forks.apply(second, key(second), "org-a")).isEqualTo(-1);
        assertThat(second.edited()).isFalse();
    }

    @Test
    void theAddedBreakpointTakesTheTtlOfTheNextOne() throws Exception {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        forks.apply(first, key(first), "org-a");
        String hour = new String(question("Where is mean defined?"), UTF_8);
        int env = hour.indexOf("# Environment"); // the first: in the messages, which come before the system here
        int marker = hour.indexOf("\"cache_control\":{\"type\":\"ephemeral\"}", env);
        hour = hour.substring(0, marker) + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}"
                + hour.substring(marker + "\"cache_control\":{\"type\":\"ephemeral\"}".length());
        RequestBody second = RequestBody.of(hour.getBytes(UTF_8));
        assertThat(forks.apply(second, key(second), "org-a")).isPositive();
        JsonNode sent = JSON.readTree(second.bytes().getBytes());
        assertThat(sent.at("/messages/0/content/1/cache_control/ttl").asText()).isEqualTo("1h");
    }

    @Test
    void prefixesAreHashedAsForwardedSoAnotherStagesEditsCount() {
        ForkBreakpoint forks = new ForkBreakpoint(1000);
        RequestBody first = RequestBody.of(Captures.body("alice-turn1"));
        forks.apply(first, key(first), "org-a");
        // bob's billing header differs; normalisation (a body edit) gives it the team's value before forwarding
        String text = new String(question("Where is mean defined?"), UTF_8);
        String billing = text.substring(text.indexOf("cc_version="), text.indexOf(';', text.indexOf("cc_version=")));
        String own = text.replace(billing, billing.substring(0, billing.length() - 3) + "fff");
        RequestBody raw = RequestBody.of(own.getBytes(UTF_8));
        assertThat(forks.apply(raw, key(raw), "org-a")).isEqualTo(-1);

        RequestBody normalised = RequestBody.of(own.getBytes(UTF_8));
        int chars = own.indexOf(billing.substring(0, billing.length() - 3) + "fff") + billing.length() - 3;
        int suffix = own.substring(0, chars).getBytes(UTF_8).length; // a body offset counts bytes, not chars
        normalised.replace(suffix, suffix + 3, billing.substring(billing.length() - 3).getBytes(UTF_8), "test: normalise");
        assertThat(forks.apply(normalised, key(normalised), "org-a")).isPositive();
    }

    /** Alice's first request with another question in place of hers. */
    private static byte[] question(String text) {
        String body = new String(Captures.body("alice-turn1"), UTF_8);
        assertThat(body).contains(ALICE);
        return body.replace(ALICE, text).getBytes(UTF_8);
    }

    private static RequestKey key(RequestBody body) {
        return PromptCacheHelpTest.key(java.util.Arrays.copyOf(body.array(), body.length()));
    }
}
