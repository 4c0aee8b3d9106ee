package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamUsageTest {

    private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-opus-4-6\","
            + "\"content\":[],\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,"
            + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":1}}}";

    @Test
    void deltaReplacesOnlyTheFieldsItCarries() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        feed(s, "ping", "{\"type\":\"ping\"}");
        feed(s, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":\"{\\\"usage\\\":{\\\"output_tokens\\\":999}}\"}}");
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                + "\"usage\":{\"output_tokens\":77,\"server_tool_use\":{\"web_search_requests\":2}}}");
        assertThat(s.usage()).isEqualTo(new Usage(12, 77, 3000, 0, 1000, 2000, 2, 0));
        assertThat(s.sawStart()).isTrue();
        assertThat(s.sawFinalDelta()).isTrue();
        assertThat(s.estimated()).isFalse();
        assertThat(s.servedModel()).isEqualTo("claude-opus-4-6");
    }

    /** A final count written as a string is used but flagged: the record must not claim the upstream's exact word. */
    @Test
    void aFinalCountOfTheWrongTypeFlagsTheStream() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":\"70\"}}");
        assertThat(s.usage().outputTokens()).isEqualTo(70);
        assertThat(s.estimated()).isTrue();
        StreamUsage t = new StreamUsage();
        feed(t, "message_start", START);
        feed(t, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":{\"n\":70}}}");
        assertThat(t.estimated()).isTrue();
    }

    /**
     * A relay that writes message_delta's input count as 0 ("unchanged"), or output as increments, contradicts the
     * cumulative rule: the prompt must not vanish from the bill, and the record must say its counts are in doubt.
     */
    @Test
    void aCountThatGoesDownKeepsTheLargerAndFlags() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":50}}");
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"input_tokens\":0,"
                + "\"cache_creation_input_tokens\":0,\"output_tokens\":20}}");
        assertThat(s.usage()).isEqualTo(new Usage(12, 50, 3000, 0, 1000, 2000, 0, 0));
        assertThat(s.estimated()).isTrue();
        // the compliant shape (every count repeated, growing) stays exact
        StreamUsage ok = new StreamUsage();
        feed(ok, "message_start", START);
        feed(ok, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"input_tokens\":12,"
                + "\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,\"output_tokens\":30}}");
        feed(ok, "message_delta", "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":31}}");
        assertThat(ok.usage().outputTokens()).isEqualTo(31);
        assertThat(ok.estimated()).isFalse();
    }

    @Test
    void eventTypeFromJsonWhenTheTransportHasNone() {
        StreamUsage s = new StreamUsage(); // Bedrock event-stream chunks carry no SSE event name
        feed(s, null, START);
        feed(s, null, "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}");
        feed(s, null, "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":40}}");
        feed(s, null, "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"outputTokenCount\":40}}");
        assertThat(s.usage().outputTokens()).isEqualTo(40);
        assertThat(s.usage().inputTokens()).isEqualTo(12);
    }

    @Test
    void cancelledStreamIsEstimatedFromBytesAndFlagged() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        s.addEstimatedOutput(401);
        assertThat(s.sawFinalDelta()).isFalse();
        assertThat(s.estimated()).isTrue();
        assertThat(s.usage().outputTokens()).isEqualTo(101); // ceil(401 / 4)
        assertThat(s.usage().cacheCreation1h()).isEqualTo(2000);
    }

    @Test
    void finalDeltaWinsOverTheEstimate() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        s.addEstimatedOutput(40_000);
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":5}}");
        assertThat(s.usage().outputTokens()).isEqualTo(5);
        assertThat(s.estimated()).isFalse();
    }

    @Test
    void errorEventAfterStartKeepsTheStartUsage() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        feed(s, "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertThat(s.errorType()).isEqualTo("overloaded_error");
        assertThat(s.usage().inputTokens()).isEqualTo(12);
        assertThat(s.estimated()).isTrue();
    }

    @Test
    void malformedUsageEventIsFlaggedNotThrown() {
        StreamUsage s = new StreamUsage();
        feed(s, "message_start", START);
        feed(s, "message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":");
        assertThat(s.estimated()).isTrue();
        assertThat(s.usage().inputTokens()).isEqualTo(12);
    }

    @Test
    void readsFromTheGivenSliceOnly() {
        StreamUsage s = new StreamUsage();
        byte[] framed = ("data: " + START + "\n\n").getBytes(StandardCharsets.UTF_8);
        s.onEvent("message_start", framed, 6, framed.length - 8);
        assertThat(s.usage().inputTokens()).isEqualTo(12);
    }

    /** A negative or fractional count is clamped to a number a price can use, and the report flagged, not exact. */
    @Test
    void aNegativeOrFractionalCountFlagsTheReport() {
        StreamUsage negative = new StreamUsage();
        feed(negative, "message_start", "{\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":-1000000,"
                + "\"output_tokens\":1}}}");
        feed(negative, "message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":7}}");
        assertThat(negative.usage()).isEqualTo(Usage.of(0, 7));
        assertThat(negative.estimated()).isTrue();

        StreamUsage fractional = new StreamUsage();
        feed(fractional, "message_start", START);
        feed(fractional, "message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":5.2}}");
        assertThat(fractional.usage().outputTokens()).isEqualTo(5);
        assertThat(fractional.estimated()).isTrue();

        StreamUsage negativeDelta = new StreamUsage();
        feed(negativeDelta, "message_start", START);
        feed(negativeDelta, "message_delta", "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":-5}}");
        assertThat(negativeDelta.estimated()).isTrue();
    }

    /** A stream that said nothing but keep-alives is not an exact zero: the upstream accepted the request. */
    @Test
    void aStreamOfKeepAlivesAloneIsFlagged() {
        StreamUsage s = new StreamUsage();
        feed(s, "ping", "{\"type\":\"ping\"}");
        assertThat(s.usage()).isEqualTo(Usage.ZERO);
        assertThat(s.estimated()).isTrue();
    }

    /** An error and nothing else is the upstream's word that nothing was billed. */
    @Test
    void aStreamThatIsOnlyAnErrorIsAnExactZero() {
        StreamUsage s = new StreamUsage();
        feed(s, "error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        assertThat(s.estimated()).isFalse();
    }

    static void feed(StreamUsage s, String type, String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        s.onEvent(type, b, 0, b.length);
    }

    /** A cut stream's estimate counts what the deltas say, not their 80-odd bytes of envelope each. */
    @Test
    void anEstimateCountsTheDeltasPayloadNotItsEnvelope() {
        StreamUsage u = new StreamUsage();
        String[] deltas = {
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}",
                "{\"type\":\"content_block_delta\",\"index\":12,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"path\\\":\"}}",
                "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"abc\"}}"};
        int[] payload = {5, 10, 3};
        for (int i = 0; i < deltas.length; i++) {
            byte[] b = deltas[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(StreamUsage.deltaPayloadBytes(b, 0, b.length)).as(deltas[i]).isEqualTo(payload[i]);
            u.addDelta(b, 0, b.length);
        }
        assertThat(u.usage().outputTokens()).isEqualTo((5 + 10 + 3 + 3) / 4);
        assertThat(u.estimated()).isTrue();
    }
}
