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
        long prompt = count(usage.path("prompt_tokens"));
        long cached = Math.min(prompt, count(usage.path("prompt_tokens_details").path("cached_tokens")));
        long completion = count(usage.path("completion_tokens"));
        return new Usage(prompt - cached, completion, 0, cached, 0, 0, 0, 0);
    }

    /** A count as OpenAI writes it: a non-negative integer; past a long it is held at the largest (then bounded). */
    private static long count(JsonNode n) {
        if (n.isIntegralNumber() && !n.canConvertToLong()) {
            return n.bigIntegerValue().signum() < 0 ? 0 : Long.MAX_VALUE; // asLong would wrap 2^64 to 0
        }
        return Math.max(0, n.asLong(0));
    }

    /** True when every count present is a non-negative integer: otherwise what the upstream billed is in doubt. */
    static boolean plain(JsonNode usage) {
        for (JsonNode n : new JsonNode[] {usage.path("prompt_tokens"), usage.path("completion_tokens"),
                usage.path("prompt_tokens_details").path("cached_tokens")}) {
            if (!n.isMissingNode() && !n.isNull() && !(n.isIntegralNumber() && n.bigIntegerValue().signum() >= 0)) {
                return false;
            }
        }
        return true;
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
