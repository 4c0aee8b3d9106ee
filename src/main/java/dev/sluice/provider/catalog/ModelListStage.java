package dev.sluice.provider.catalog;

import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Response;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Answers {@code GET /v1/models} (and {@code /v1/models/{id}}) from the {@link ModelCatalog} when the upstream the
 * listing routes to has no listing of its own (Bedrock's runtime, Vertex AI and Foundry have none for Claude), in
 * the canonical (Anthropic) shape; the client protocol's encoder renders it (OpenAI clients get OpenAI's list).
 * Sits right after routing; upstreams with a listing of their own are asked as before.
 */
public final class ModelListStage implements Stage {
    @Override
    public String name() {
        return "models";
    }

    @Override
    public Future<Void> onRequest(Exchange ex) {
        Target target = ex.target();
        if (ex.operation() != Operation.MODELS || target == null) {
            return CONTINUE;
        }
        List<CatalogEntry> models = ex.snapshot().get(ModelCatalog.PART).of(target.upstream());
        if (models == null) {
            return CONTINUE;
        }
        String id = idOf(ex.request().path());
        String body;
        if (id == null) {
            io.vertx.core.MultiMap query;
            try {
                query = ex.request().params();
            } catch (IllegalArgumentException e) {
                throw ApiError.invalidRequest("query: not a valid URL query (" + dev.sluice.respond.Replies.bounded(e.getMessage()) + ")");
            }
            body = ModelList.page(models, query);
        } else {
            body = ModelList.one(models, id);
            if (body == null) {
                throw ApiError.notFound("model: " + dev.sluice.pipeline.Bounded.text(id, 200) + " is not served by this gateway");
            }
        }
        ex.answer(new Response.Whole(200, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body)));
        return CONTINUE;
    }

    /** The {@code {id}} of {@code .../v1/models/{id}} (percent-decoded by the HTTP layer's path), or null for the list. */
    static String idOf(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int at = p.indexOf("/v1/models/");
        int from = at + "/v1/models/".length();
        return at < 0 || from >= p.length() ? null : p.substring(from); // ids may hold a '/' (openai/gpt-4o)
    }
}
