package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.Usage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A canonical Anthropic message as OpenAI's {@code chat.completion}, with usage in OpenAI's shape. Thinking blocks'
 * text goes on the message as {@code reasoning_content} ({@link OpenAiEncoder} says why that name); their signatures and
 * redacted thinking do not (a chat message cannot carry them back). {@code reasoning_tokens} stays 0: Anthropic counts
 * thinking in {@code output_tokens} without a split, and the gateway does not invent one.
 */
final class CompletionJson {
    private CompletionJson() {
    }

    /** @param requestedModel named when the message does not say which model served it */
    static byte[] fromMessage(byte[] message, String requestedModel, long created) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            return OpenAiErrorBody.json("api_error", "the upstream's answer could not be read").getBytes(StandardCharsets.UTF_8);
        }
        StringBuilder text = new StringBuilder();
        StringBuilder calls = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        int n = 0;
        for (JsonNode block : m.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "thinking" -> reasoning.append(block.path("thinking").asText(""));
                case "tool_use" -> calls.append(n++ == 0 ? "" : ",").append("{\"id\":").append(OpenAiEncoder.q(block.path("id").asText()))
                        .append(",\"type\":\"function\",\"function\":{\"name\":").append(OpenAiEncoder.q(block.path("name").asText()))
                        .append(",\"arguments\":").append(OpenAiEncoder.q(block.path("input").toString())).append("}}");
                default -> { }
            }
        }
        Usage usage = MessageUsage.read(message);
        String id = m.path("id").asText("");
        String model = OpenAiEncoder.servedModel(m, requestedModel);
        String json = "{\"id\":" + OpenAiEncoder.q(OpenAiEncoder.chatId(id))
                + ",\"object\":\"chat.completion\",\"created\":" + created + ",\"model\":" + OpenAiEncoder.q(model)
                + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
                + (text.isEmpty() && n > 0 ? "null" : OpenAiEncoder.q(text.toString()))
                + (reasoning.isEmpty() ? "" : ",\"reasoning_content\":" + OpenAiEncoder.q(reasoning.toString()))
                + (n > 0 ? ",\"tool_calls\":[" + calls + "]" : "") + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":"
                + OpenAiEncoder.q(finishReason(m.path("stop_reason").asText(null))) + "}],\"usage\":" + usage(usage) + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * OpenAI's usage: prompt tokens include cache writes and reads; cached tokens are the reads, and
     * {@code cache_write_tokens} the writes (OpenAI's field, which the SDKs read: without it the Vercel AI SDK counted
     * the written tokens as uncached input, priced at a quarter less than they cost), as the Responses door says too.
     */
    static String usage(Usage u) {
        long prompt = u.promptTokens();
        return "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + u.outputTokens() + ",\"total_tokens\":"
                + (prompt + u.outputTokens()) + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cacheReadInputTokens()
                + ",\"cache_write_tokens\":" + u.cacheCreationInputTokens() + "},\"completion_tokens_details\":{\"reasoning_tokens\":0}}";
    }

    static String finishReason(String stopReason) {
        if (stopReason == null) {
            return "stop";
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> "length";
            case "tool_use" -> "tool_calls";
            case "refusal" -> "content_filter";
            default -> "stop";
        };
    }
}
