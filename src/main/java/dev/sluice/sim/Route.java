package dev.sluice.sim;

import io.vertx.core.http.HttpMethod;

/** The simulator's API routes, matched on method and path; the query is ignored ({@code ?beta=true}). */
enum Route {
    MESSAGES,
    COUNT_TOKENS,
    LIST_MODELS,
    GET_MODEL,
    NOT_FOUND;

    static final String MODELS_PREFIX = "/v1/models/";

    static Route of(HttpMethod method, String path) {
        if (method == HttpMethod.POST && path.equals("/v1/messages")) {
            return MESSAGES;
        }
        if (method == HttpMethod.POST && path.equals("/v1/messages/count_tokens")) {
            return COUNT_TOKENS;
        }
        if (method == HttpMethod.GET && path.equals("/v1/models")) {
            return LIST_MODELS;
        }
        if (method == HttpMethod.GET && path.startsWith(MODELS_PREFIX) && path.length() > MODELS_PREFIX.length()) {
            return GET_MODEL;
        }
        return NOT_FOUND;
    }
}
