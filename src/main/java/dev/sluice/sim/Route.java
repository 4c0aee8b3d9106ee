package dev.sluice.sim;

import io.vertx.core.http.HttpMethod;

/** The simulator's API routes, matched on method and path; the query is ignored ({@code ?beta=true}). */
enum Route {
    MESSAGES,
    COUNT_TOKENS,
    LIST_MODELS,
    GET_MODEL,
    /** {@code /v1/messages/batches} and everything under it ({@link SimBatches}). */
    BATCHES,
    // Other providers' wires (see ProviderRoutes); each authenticates its own way.
    BEDROCK_INVOKE,
    BEDROCK_STREAM,
    BEDROCK_COUNT,
    VERTEX_PREDICT,
    VERTEX_STREAM,
    VERTEX_COUNT,
    OPENAI_CHAT,
    OPENAI_EMBEDDINGS,
    GOOGLE_TOKEN,
    NOT_FOUND;

    /** A route of another provider's wire, served by {@link ProviderRoutes}. */
    boolean provider() {
        return ordinal() >= BEDROCK_INVOKE.ordinal() && this != NOT_FOUND;
    }

    /** Generates a message (and bills it): Anthropic's messages and every provider's invoke. */
    boolean billable() {
        return this == MESSAGES || this == BEDROCK_INVOKE || this == BEDROCK_STREAM || this == VERTEX_PREDICT
                || this == VERTEX_STREAM || this == OPENAI_CHAT || this == OPENAI_EMBEDDINGS;
    }

    static final String MODELS_PREFIX = "/v1/models/";

    /** Claude on Microsoft Foundry: Anthropic's API under {@code https://{resource}.services.ai.azure.com/anthropic}. */
    static final String FOUNDRY_PREFIX = "/anthropic";

    static Route of(HttpMethod method, String path) {
        if (path.startsWith(FOUNDRY_PREFIX + "/v1/messages")) {
            path = path.substring(FOUNDRY_PREFIX.length());
        }
        if (method == HttpMethod.POST && path.equals("/v1/messages")) {
            return MESSAGES;
        }
        if (method == HttpMethod.POST && path.equals("/v1/messages/count_tokens")) {
            return COUNT_TOKENS;
        }
        if (path.equals(SimBatches.PATH) || path.startsWith(SimBatches.PATH + "/")) {
            return BATCHES;
        }
        if (method == HttpMethod.GET && path.equals("/v1/models")) {
            return LIST_MODELS;
        }
        if (method == HttpMethod.GET && path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
            return GET_MODEL;
        }
        Route provider = ProviderRoutes.match(method, path);
        return provider != null ? provider : NOT_FOUND;
    }
}
