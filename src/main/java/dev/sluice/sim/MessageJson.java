package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON bodies of the Messages API: full messages, content blocks, usage and error envelopes. */
final class MessageJson {

    private MessageJson() {
    }

    /** A complete non-streamed message. */
    static ObjectNode message(String id, String model, ReplyPlan plan, CacheUsage cache) {
        ObjectNode message = SimJson.object()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        ArrayNode content = message.putArray("content");
        for (ReplyBlock block : plan.blocks()) {
            content.add(block(block));
        }
        message.put("stop_reason", plan.stopReason()).putNull("stop_sequence");
        message.set("usage", usage(cache, plan.outputTokens()));
        return message;
    }

    /** {@code message} with {@code override}'s fields (or null: none) written over its {@code usage}. */
    static ObjectNode withUsage(ObjectNode message, ObjectNode override) {
        if (override != null && message.get("usage") instanceof ObjectNode usage) {
            usage.setAll(override);
        }
        return message;
    }

    /** The message skeleton {@code message_start} carries: no content yet, no stop reason. */
    static ObjectNode startedMessage(String id, String model, CacheUsage cache) {
        ObjectNode message = SimJson.object()
                .put("id", id)
                .put("type", "message")
                .put("role", "assistant")
                .put("model", model);
        message.putArray("content");
        message.putNull("stop_reason").putNull("stop_sequence");
        message.set("usage", usage(cache, 1)); // the real API reports a token or so already produced
        return message;
    }

    static ObjectNode block(ReplyBlock block) {
        return switch (block) {
            case ReplyBlock.Text text -> SimJson.object().put("type", "text").put("text", text.text());
            case ReplyBlock.Thinking thinking -> SimJson.object().put("type", "thinking")
                    .put("thinking", thinking.thinking()).put("signature", thinking.signature());
            case ReplyBlock.ToolUse toolUse -> {
                ObjectNode node = SimJson.object().put("type", "tool_use").put("id", toolUse.id())
                        .put("name", toolUse.name());
                node.set("input", toolUse.input());
                yield node;
            }
        };
    }

    /** The block as {@code content_block_start} announces it: same type, empty payload. */
    static ObjectNode emptyBlock(ReplyBlock block) {
        return switch (block) {
            case ReplyBlock.Text text -> SimJson.object().put("type", "text").put("text", "");
            case ReplyBlock.Thinking thinking -> SimJson.object().put("type", "thinking")
                    .put("thinking", "").put("signature", "");
            case ReplyBlock.ToolUse toolUse -> {
                ObjectNode node = SimJson.object().put("type", "tool_use").put("id", toolUse.id())
                        .put("name", toolUse.name());
                node.putObject("input");
                yield node;
            }
        };
    }

    static ObjectNode usage(CacheUsage cache, int outputTokens) {
        ObjectNode usage = SimJson.object()
                .put("input_tokens", cache.inputTokens())
                .put("cache_creation_input_tokens", cache.cacheCreationInputTokens())
                .put("cache_read_input_tokens", cache.cacheReadInputTokens());
        usage.putObject("cache_creation")
                .put("ephemeral_5m_input_tokens", cache.ephemeral5mInputTokens())
                .put("ephemeral_1h_input_tokens", cache.ephemeral1hInputTokens());
        return usage.put("output_tokens", outputTokens).put("service_tier", "standard");
    }

    /** {@code message_delta} usage: cumulative output plus the input counts, as the current API sends. */
    static ObjectNode finalUsage(CacheUsage cache, int outputTokens) {
        return SimJson.object()
                .put("input_tokens", cache.inputTokens())
                .put("cache_creation_input_tokens", cache.cacheCreationInputTokens())
                .put("cache_read_input_tokens", cache.cacheReadInputTokens())
                .put("output_tokens", outputTokens);
    }

    static ObjectNode error(String type, String message, String requestId) {
        ObjectNode envelope = SimJson.object().put("type", "error");
        envelope.putObject("error").put("type", type).put("message", message);
        if (requestId != null) {
            envelope.put("request_id", requestId);
        }
        return envelope;
    }
}
