package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import java.io.IOException;

/**
 * OpenAI's reasoning effort (the chat door's {@code reasoning_effort}, the Responses door's {@code reasoning.effort}) as
 * Anthropic's extended thinking on the canonical body: {@code thinking: {type: "enabled", budget_tokens: N}}, with
 * {@code max_tokens} kept above the budget as Anthropic requires.
 *
 * <p>Budgets, in thinking tokens: {@code low} 2,048, {@code medium} 8,192, {@code high} 16,384, {@code xhigh} and
 * {@code max} 24,576; {@code none} and {@code minimal} mean no thinking. Why these: Anthropic's least budget is 1,024 and
 * {@code low} is twice it, a short think; {@code medium} is OpenAI's default effort and Anthropic's usual suggestion
 * for a first try; the largest budget must leave room for an answer under 32,000 output tokens, the smallest output
 * limit among Claude models with extended thinking (Opus 4 and 4.1) and Claude Code's own default output cap, so a
 * request without a cap never asks more than every thinking model gives. {@code max} has no larger budget than
 * {@code xhigh} for the same reason.
 *
 * <p>{@code max_tokens}. OpenAI defines the client's cap ({@code max_completion_tokens}, {@code max_output_tokens}) as
 * the bound on reasoning and visible tokens together, and so does Anthropic's {@code max_tokens}: the cap goes on
 * unchanged, and the budget is at most half of it, so at least half the cap is left for the visible answer (the answer
 * cannot be bounded apart from the thinking on Anthropic's API; this bounds it by the client's cap, as OpenAI does).
 * The budget is never below Anthropic's 1,024, so a cap below 1,025 is raised to 1,025: the one case where the visible
 * answer may pass the client's cap. Without a cap, {@code max_tokens} is the budget plus the door's default of 8,192
 * for the answer, at most 32,000.
 *
 * <p>Sampling: Anthropic refuses thinking with {@code temperature} other than 1, with {@code top_k}, and with a
 * {@code tool_choice} that forces a tool. The doors refuse such a request with a 400 naming the field
 * ({@link #sampling}, {@link #toolChoice}), as OpenAI's reasoning models refuse a temperature; a {@code temperature} or
 * {@code top_p} of exactly 1 (the default) is accepted and left out.
 */
public record ReasoningEffort(String effort, int budget, long maxTokens) {
    /** Anthropic's least {@code budget_tokens}. */
    public static final int MIN_BUDGET = 1024;
    /** The output tokens a request without a cap asks for at most; see the class comment. */
    public static final long CEILING = 32_000;

    /**
     * The thinking for {@code effort} (a request's value, checked here), or null when it means none.
     *
     * @param param     the field's name in the client's request, for the error
     * @param clientCap the client's output cap, or -1 when it named none
     * @throws ApiError 400 for a value that is not one of OpenAI's efforts
     */
    public static ReasoningEffort of(String param, JsonNode effort, long clientCap) {
        if (effort == null || effort.isNull()) {
            return null;
        }
        if (!effort.isTextual()) {
            throw ApiError.invalidRequest(param + ": expected a string, got " + Bounded.text(effort.toString(), 40));
        }
        int budget = switch (effort.asText()) {
            case "none", "minimal" -> 0;
            case "low" -> 2_048;
            case "medium" -> 8_192;
            case "high" -> 16_384;
            case "xhigh", "max" -> 24_576;
            default -> throw ApiError.invalidRequest(param + ": " + Bounded.text(effort.toString(), 40)
                    + " is not supported by this gateway (expected: none, minimal, low, medium, high, xhigh or max)");
        };
        if (budget == 0) {
            return null;
        }
        if (clientCap < 0) {
            return new ReasoningEffort(effort.asText(), budget, Math.min(CEILING, budget + (long) ChatCompletionsRequest.DEFAULT_MAX_TOKENS));
        }
        int fitted = (int) Math.max(MIN_BUDGET, Math.min(budget, clientCap / 2));
        return new ReasoningEffort(effort.asText(), fitted, Math.max(clientCap, fitted + 1L));
    }

    /** Writes {@code "thinking":{"type":"enabled","budget_tokens":N}}. */
    public void write(JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("thinking");
        g.writeStringField("type", "enabled");
        g.writeNumberField("budget_tokens", budget);
        g.writeEndObject();
    }

    /**
     * A sampling value sent with an effort: refused unless it is 1 (the default), which the caller leaves out.
     *
     * @throws ApiError 400 naming {@code param} and {@code effortParam}
     */
    public static void sampling(String param, JsonNode value, String effortParam) {
        if (value != null && value.isNumber() && value.doubleValue() != 1.0) {
            throw ApiError.invalidRequest(param + ": " + Bounded.text(value.toString(), 40) + " is not supported by this gateway "
                    + "(expected: 1 or absent with " + effortParam + "; Anthropic's extended thinking takes no other " + param + ")");
        }
    }

    /**
     * Writes the canonical {@code temperature} (clamped to Anthropic's 0..1) and {@code top_p} both doors take; with
     * thinking on, a value other than 1 is refused and 1 is left out.
     *
     * @throws ApiError 400 naming the field and {@code effortParam}
     */
    public static void writeSampling(JsonGenerator g, JsonNode temperature, JsonNode topP, boolean thinking, String effortParam)
            throws IOException {
        if (thinking) {
            sampling("temperature", temperature, effortParam);
            sampling("top_p", topP, effortParam);
            return;
        }
        if (temperature != null && temperature.isNumber()) {
            g.writeNumberField("temperature", Math.max(0, Math.min(1.0, temperature.doubleValue())));
        }
        if (topP != null && topP.isNumber()) {
            g.writeNumberField("top_p", topP.doubleValue());
        }
    }

    /**
     * A canonical tool choice ({@code auto|any|tool|none}) sent with an effort: forcing a tool is refused.
     *
     * @throws ApiError 400 naming {@code param}
     */
    public static void toolChoice(String param, String canonicalType, String effortParam) {
        if ("any".equals(canonicalType) || "tool".equals(canonicalType)) {
            throw ApiError.invalidRequest(param + ": forcing a tool is not supported by this gateway with " + effortParam
                    + " (expected: auto or none; Anthropic's extended thinking cannot be combined with a forced tool)");
        }
    }
}
