package dev.sluice.pipeline;

/** The API operations that go through the pipeline. */
public enum Endpoint {
    MESSAGES("/v1/messages"),
    COUNT_TOKENS("/v1/messages/count_tokens"),
    MODELS("/v1/models");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** The upstream path for this operation (Anthropic's). */
    public String path() {
        return path;
    }
}
