package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * What the simulated OpenAI-protocol endpoint's models do with reasoning, by model name, so a gateway is held to the
 * rules real servers apply:
 * <ul>
 *   <li>OpenAI's models without reasoning ({@code gpt-4*}, {@code gpt-3.5*}, {@code chatgpt-4o*}) refuse
 *       {@code reasoning_effort}, as OpenAI does, with a 400;</li>
 *   <li>OpenAI's reasoning models ({@code o1*}, {@code o3*}, {@code o4*}, {@code gpt-5*}) refuse {@code max_tokens}
 *       ("Use 'max_completion_tokens' instead") and a {@code temperature} or {@code top_p} other than 1;</li>
 *   <li>models that show their reasoning ({@code deepseek*}, {@code qwen3*}, {@code qwq*}, names with {@code reasoner},
 *       {@code thinking} or {@code r1}) think on every request and send it as {@code reasoning_content}, as DeepSeek's
 *       API and vLLM's reasoning parsers do; any other model thinks only when asked with {@code reasoning_effort};</li>
 *   <li>{@code deepseek-reasoner} (DeepSeek's first reasoning API) refuses {@code reasoning_content} in the input;
 *       DeepSeek's thinking mode ({@code deepseek-*} else) refuses an assistant message with {@code tool_calls} that
 *       comes without its {@code reasoning_content}.</li>
 * </ul>
 */
final class OpenAiModels {
    private OpenAiModels() {
    }

    /** OpenAI's chat models without reasoning. */
    static boolean refusesEffort(String model) {
        String m = lower(model);
        return m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("chatgpt-4o");
    }

    /** OpenAI's reasoning models, which take only {@code max_completion_tokens}. */
    static boolean refusesMaxTokens(String model) {
        String m = lower(model);
        return m.matches("o[1-9].*") || m.startsWith("gpt-5");
    }

    /** Models that think on every request and show it. */
    static boolean alwaysThinks(String model) {
        String m = lower(model);
        return m.startsWith("deepseek") || m.startsWith("qwen3") || m.startsWith("qwq") || m.contains("reasoner")
                || m.contains("thinking") || m.contains("r1");
    }

    /** @throws ApiException 400 in the server's words for the first reasoning rule {@code body} breaks */
    static void check(JsonNode body) {
        String model = body.path("model").asText("");
        if (body.has("reasoning_effort") && refusesEffort(model)) {
            throw ApiException.invalidRequest("Unsupported parameter: 'reasoning_effort' is not supported with this model.");
        }
        if (body.has("max_tokens") && refusesMaxTokens(model)) {
            throw ApiException.invalidRequest("Unsupported parameter: 'max_tokens' is not supported with this model."
                    + " Use 'max_completion_tokens' instead.");
        }
        for (String sampling : new String[] {"temperature", "top_p"}) {
            JsonNode v = body.get(sampling);
            if (v != null && v.isNumber() && v.doubleValue() != 1.0 && refusesMaxTokens(model)) {
                throw ApiException.invalidRequest("Unsupported value: '" + sampling + "' does not support " + v
                        + " with this model. Only the default (1) value is supported.");
            }
        }
        String m = lower(model);
        if (!m.startsWith("deepseek")) {
            return;
        }
        int i = 0;
        for (JsonNode message : body.path("messages")) {
            boolean reasoning = message.path("reasoning_content").isTextual();
            if (m.equals("deepseek-reasoner") && reasoning) {
                throw ApiException.invalidRequest("messages[" + i + "]: reasoning_content is not accepted in input messages;"
                        + " remove it before sending the conversation back.");
            }
            if (!m.equals("deepseek-reasoner") && message.path("role").asText().equals("assistant")
                    && message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty() && !reasoning) {
                throw ApiException.invalidRequest("The reasoning_content in the thinking mode must be passed back to the API."
                        + " (messages[" + i + "])");
            }
            i++;
        }
    }

    private static String lower(String model) {
        return model == null ? "" : model.toLowerCase(Locale.ROOT);
    }
}
