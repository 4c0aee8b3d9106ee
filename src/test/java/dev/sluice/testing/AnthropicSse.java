package dev.sluice.testing;

import java.util.List;

/**
 * Events of an Anthropic Messages stream, written as an upstream sends them, for the stub upstreams ({@link StubServer})
 * that answer what the simulator never does (keep-alives only, a stream that never ends, a refusal). Every message is
 * {@code msg_1} with one text block at index 0, in the real API's field order.
 */
public final class AnthropicSse {
    /** A keep-alive, as the API sends it (with the space after the colon). */
    public static final String PING = event("ping", "{\"type\": \"ping\"}");
    public static final String TEXT_BLOCK_START = event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    public static final String TEXT_BLOCK_STOP = event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    public static final String MESSAGE_STOP = event("message_stop", "{\"type\":\"message_stop\"}");

    private AnthropicSse() {
    }

    /** One frame: {@code event:} and {@code data:} lines and the blank line that ends it. */
    public static String event(String name, String data) {
        return "event: " + name + "\ndata: " + data + "\n\n";
    }

    /** The first event: the input tokens, and the one output token the API counts at the start. */
    public static String messageStart(String model, int inputTokens) {
        return event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":" + Http.quote(model) + ",\"content\":[],\"stop_reason\":null,"
                + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":" + inputTokens + ",\"output_tokens\":1}}}");
    }

    public static String textDelta(String text) {
        return event("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\","
                + "\"text\":" + Http.quote(text) + "}}");
    }

    /** The last event but {@code message_stop}: why it stopped, and the output tokens in all. */
    public static String messageDelta(String stopReason, int outputTokens) {
        return event("message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":" + Http.quote(stopReason)
                + ",\"stop_sequence\":null},\"usage\":{\"output_tokens\":" + outputTokens + "}}");
    }

    /** A whole answer of one text block, in one delta per piece, from {@code message_start} to {@code message_stop}. */
    public static String textAnswer(String model, int inputTokens, List<String> pieces, String stopReason, int outputTokens) {
        StringBuilder s = new StringBuilder(messageStart(model, inputTokens)).append(TEXT_BLOCK_START);
        pieces.forEach(p -> s.append(textDelta(p)));
        return s.append(TEXT_BLOCK_STOP).append(messageDelta(stopReason, outputTokens)).append(MESSAGE_STOP).toString();
    }
}
