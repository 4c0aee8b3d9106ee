package dev.sluice.pipeline;

/**
 * What a request asks of a model provider, whatever client protocol it came in: an OpenAI chat
 * completion and an Anthropic message are both {@link #MESSAGES}. The provider adapter turns an
 * operation into its own method and path.
 */
public enum Operation {
    MESSAGES("messages", true),
    COUNT_TOKENS("count_tokens", true),
    MODELS("models", false),
    /** OpenAI's {@code /v1/embeddings}, passed to an OpenAI-compatible upstream. */
    EMBEDDINGS("embeddings", true);

    private final String label;
    private final boolean hasBody;

    Operation(String label, boolean hasBody) {
        this.label = label;
        this.hasBody = hasBody;
    }

    /** Lower-case name for records, metrics and logs. */
    public String label() {
        return label;
    }

    /** True when the request carries a JSON body to read and inspect. */
    public boolean hasBody() {
        return hasBody;
    }
}
