package dev.sluice.provider.openai;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.SettingsCheck;
import dev.sluice.wire.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What an OpenAI-protocol upstream's models do with reasoning ({@code reasoning:} of the upstream). The gateway cannot
 * tell by itself: OpenAI's models without reasoning (gpt-4o, gpt-4.1) answer {@code reasoning_effort} with a 400, and
 * a compatible server's model may be anything, so the operator says which.
 *
 * @param models   globs of the model names sent upstream (after the {@code models:} map; Azure's deployment names)
 *                 that take {@code reasoning_effort}; an Anthropic client's {@code thinking} goes to them as one
 *                 ({@link ChatRequestWriter#effort})
 * @param sendBack the text of the thinking blocks a client sends back goes upstream as the assistant message's
 *                 {@code reasoning_content}: DeepSeek's thinking mode requires it on turns with tool calls and refuses
 *                 the request without it; servers that know no such field (Cerebras) refuse it, so it is asked for
 */
public record OpenAiReasoning(List<Pattern> models, boolean sendBack) {
    /** Today's behaviour: no model takes an effort from an Anthropic client, nothing goes back. */
    public static final OpenAiReasoning NONE = new OpenAiReasoning(List.of(), false);
    static final int MAX_MODELS = 100;
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9._:/@*-]{1,200}");

    public OpenAiReasoning {
        models = List.copyOf(models);
    }

    /** @throws IllegalArgumentException naming the key and the bad value */
    static OpenAiReasoning compile(UpstreamConfig.Reasoning r) {
        if (r == null) {
            return NONE;
        }
        List<String> globs = r.models() == null ? List.of() : r.models();
        SettingsCheck.require(globs.size() <= MAX_MODELS, "reasoning.models", globs.size() + " entries", "at most " + MAX_MODELS);
        List<Pattern> patterns = new ArrayList<>();
        for (String glob : globs) {
            SettingsCheck.require(glob != null && GLOB.matcher(glob).matches(), "reasoning.models", glob,
                    "a model name or glob (letters, digits, . _ : / @ - and *)");
            patterns.add(Glob.of(glob));
        }
        return new OpenAiReasoning(patterns, Boolean.TRUE.equals(r.sendBack()));
    }

    /** True when {@code model} (the name sent upstream) takes {@code reasoning_effort}. */
    boolean reasons(String model) {
        for (Pattern p : models) {
            if (p.matcher(model).matches()) {
                return true;
            }
        }
        return false;
    }
}
