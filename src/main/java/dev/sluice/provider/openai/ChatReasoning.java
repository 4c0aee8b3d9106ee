package dev.sluice.provider.openai;

/**
 * What one translated chat request does with the canonical body's reasoning.
 *
 * @param effort   {@code thinking} (or {@code output_config.effort}) goes as {@code reasoning_effort}
 *                 ({@link ChatRequestWriter#effort}): for the OpenAI doors' requests, whose client set an effort, and for
 *                 models the upstream lists as reasoning ({@link OpenAiReasoning})
 * @param sendBack thinking blocks' text goes back as the assistant message's {@code reasoning_content}
 * @param noSampling {@code temperature} and {@code top_p} are left out: an OpenAI or Azure model the upstream lists as
 *                   reasoning refuses any value but the default (Claude Code sends {@code temperature: 1} always, and 0
 *                   in some side requests); a compatible server's reasoning model keeps them (vLLM honours them)
 */
public record ChatReasoning(boolean effort, boolean sendBack, boolean noSampling) {
    /** Neither: the Anthropic door's thinking to a model not known to reason, as before. */
    public static final ChatReasoning NONE = new ChatReasoning(false, false, false);
    /** An OpenAI door's effort, nothing sent back. */
    public static final ChatReasoning EFFORT = new ChatReasoning(true, false, false);

    static ChatReasoning of(boolean effort) {
        return effort ? EFFORT : NONE;
    }
}
