package dev.sluice.provider.openai;

/**
 * What one translated chat request does with the canonical body's reasoning.
 *
 * @param effort   {@code thinking} (or {@code output_config.effort}) goes as {@code reasoning_effort}
 *                 ({@link ChatRequestWriter#effort}): for the OpenAI doors' requests, whose client set an effort, and for
 *                 models the upstream lists as reasoning ({@link OpenAiReasoning})
 * @param sendBack thinking blocks' text goes back as the assistant message's {@code reasoning_content}
 */
public record ChatReasoning(boolean effort, boolean sendBack) {
    /** Neither: the Anthropic door's thinking to a model not known to reason, as before. */
    public static final ChatReasoning NONE = new ChatReasoning(false, false);
    /** An OpenAI door's effort, nothing sent back. */
    public static final ChatReasoning EFFORT = new ChatReasoning(true, false);

    static ChatReasoning of(boolean effort) {
        return effort ? EFFORT : NONE;
    }
}
