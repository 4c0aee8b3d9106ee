package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the real Messages API refuses when {@code thinking} is enabled, so a gateway that maps something onto extended
 * thinking is held to it in tests: a {@code budget_tokens} below 1,024 or not below {@code max_tokens}; a
 * {@code temperature} other than 1, any {@code top_k}, a {@code top_p} below 0.95; a {@code tool_choice} that forces a
 * tool; and, with {@link SimHeaders#THINKING_LOOP} {@code strict}, a tool loop under way (the last message a user turn
 * with a {@code tool_result}) whose assistant message does not start with a thinking block, or sends one back without
 * its signature. The last rule is asked for, not always on: older fixtures play Claude Code's tool loops without
 * thinking blocks, which the real API would refuse. Always: a thinking block whose signature could not be one of the
 * API's (not base64; the simulator cannot check the cryptography, but such a signature never decodes) is refused, as the
 * real API refuses a block it did not sign ({@link #signatures}).
 */
final class ThinkingRules {
    private ThinkingRules() {
    }

    /** @throws ApiException 400 in the API's words for the first rule broken */
    static void check(JsonNode root, int maxTokens) {
        JsonNode thinking = root.path("thinking");
        if (!thinking.path("type").asText("").equals("enabled")) {
            return;
        }
        JsonNode budget = thinking.get("budget_tokens");
        if (budget == null || !budget.canConvertToInt() || budget.intValue() < 1024) {
            throw ApiException.invalidRequest("thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
        }
        if (budget.intValue() >= maxTokens) {
            throw ApiException.invalidRequest("`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our "
                    + "documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
        }
        JsonNode temperature = root.get("temperature");
        if (temperature != null && temperature.isNumber() && temperature.doubleValue() != 1.0) {
            throw ApiException.invalidRequest("`temperature` may only be set to 1 when thinking is enabled.");
        }
        if (root.hasNonNull("top_k")) {
            throw ApiException.invalidRequest("`top_k` must be unset when thinking is enabled.");
        }
        JsonNode topP = root.get("top_p");
        if (topP != null && topP.isNumber() && topP.doubleValue() < 0.95) {
            throw ApiException.invalidRequest("`top_p` must be greater than or equal to 0.95 or unset when thinking is enabled.");
        }
        String choice = root.path("tool_choice").path("type").asText("");
        if (choice.equals("any") || choice.equals("tool")) {
            throw ApiException.invalidRequest("Thinking may not be enabled when tool_choice forces tool use.");
        }
    }

    /** @throws ApiException 400 for a thinking block whose signature is not base64 */
    static void signatures(JsonNode messages) {
        for (int i = 0; i < messages.size(); i++) {
            JsonNode content = messages.get(i).path("content");
            for (int j = 0; j < content.size(); j++) {
                JsonNode block = content.get(j);
                if (block.path("type").asText("").equals("thinking")
                        && !block.path("signature").asText("").matches("[A-Za-z0-9+/=]*")) {
                    throw ApiException.invalidRequest("messages." + i + ".content." + j + ": Invalid `signature` in `thinking` block");
                }
            }
        }
    }

    /** The tool-loop rule, for a request with thinking on ({@link SimHeaders#THINKING_LOOP}). */
    static void loop(JsonNode messages) {
        int n = messages.size();
        if (n < 2 || !messages.get(n - 1).path("role").asText().equals("user")) {
            return;
        }
        boolean results = false;
        for (JsonNode block : messages.get(n - 1).path("content")) {
            results |= block.path("type").asText().equals("tool_result");
        }
        if (!results) {
            return;
        }
        JsonNode first = messages.get(n - 2).path("content").path(0);
        String type = first.path("type").asText("");
        if (!type.equals("thinking") && !type.equals("redacted_thinking")) {
            throw ApiException.invalidRequest("messages." + (n - 2) + ".content.0.type: Expected `thinking` or `redacted_thinking`, "
                    + "but found `" + (type.isEmpty() ? "text" : type) + "`. When `thinking` is enabled, a final `assistant` message "
                    + "must start with a thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks). "
                    + "We recommend you include thinking blocks from previous turns. To avoid this requirement, disable `thinking`.");
        }
        if (type.equals("thinking") && first.path("signature").asText("").isEmpty()) {
            throw ApiException.invalidRequest("messages." + (n - 2) + ".content.0.thinking.signature: Field required");
        }
    }
}
