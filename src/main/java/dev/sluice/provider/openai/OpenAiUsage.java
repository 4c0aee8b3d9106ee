package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Usage;

/**
 * OpenAI's usage in Anthropic's vocabulary. {@code prompt_tokens} includes the cached part
 * ({@code prompt_tokens_details.cached_tokens}), so input is the difference and the cached part is a cache
 * read; OpenAI bills no cache writes. {@code completion_tokens} includes reasoning tokens.
 */
final class OpenAiUsage {
    private OpenAiUsage() {
    }

    static Usage of(JsonNode usage) {
        long prompt = Math.max(0, usage.path("prompt_tokens").asLong(0));
        long cached = Math.min(prompt, Math.max(0, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0)));
        long completion = Math.max(0, usage.path("completion_tokens").asLong(0));
        return new Usage(prompt - cached, completion, 0, cached, 0, 0, 0, 0);
    }

    /** The Anthropic usage object for a message_delta or a body. */
    static String json(Usage u) {
        return "{\"input_tokens\":" + u.inputTokens() + ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":"
                + u.cacheReadInputTokens() + ",\"output_tokens\":" + u.outputTokens() + "}";
    }

    /** finish_reason to stop_reason; a "stop" after tool calls is a tool_use (Ollama and others say "stop"). */
    static String stopReason(String finishReason, boolean sawToolCalls) {
        if (finishReason == null) {
            return sawToolCalls ? "tool_use" : "end_turn";
        }
        return switch (finishReason) {
            case "length" -> "max_tokens";
            case "tool_calls", "function_call" -> "tool_use";
            case "content_filter" -> "refusal";
            default -> sawToolCalls ? "tool_use" : "end_turn";
        };
    }
}
