package dev.sluice.batches;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.config.Snapshot;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.guard.stage.BatchGuard;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.ProviderSettings;
import dev.sluice.provider.anthropic.AnthropicSettings;
import dev.sluice.route.Router;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks a {@code POST /v1/messages/batches} body, request by request, and writes the body the upstream gets.
 * Each request's {@code params} is held to what the Anthropic door holds a Messages body to ({@code BodyInspector}),
 * routed as the route stage routes its model (aliases, the caller's allow-list, the rule's model rewrite and the
 * upstream's own model map), held to sign-in's model policy ({@link ModelGate}), and checked by the guard. A batch goes upstream as one call, so every request must route to
 * the same upstream, and that upstream must speak Anthropic's API: Bedrock and Vertex AI have batch inference of their
 * own, with other APIs (jobs over files in S3 or Cloud Storage), and OpenAI's Batch API takes a file of its own format.
 */
final class BatchRequests {
    /** Anthropic's own bound on requests per batch; the gateway's body limit bounds the bytes. */
    static final int MAX_REQUESTS = 100_000;
    private static final Pattern CUSTOM_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");

    /** What goes upstream: where, the key aliases the route allows (empty: any), the body, what it asks of budgets. */
    record Plan(String upstream, List<String> keys, Buffer body, BatchAsks asks, int count) {
    }

    private BatchRequests() {
    }

    /**
     * Reads {@code body} one request at a time (a streaming parse: only the request being checked is a tree, so a body
     * at the limit costs about itself twice, the body read and the body written, not a tree of the whole batch).
     */
    static Plan plan(Buffer body, Snapshot snapshot, Identity who, BatchGuard guard, ModelGate models, BatchAsks asks,
                     String auditId) {
        Router router = snapshot.get(Router.PART);
        ProviderSettings providers = snapshot.get(ProviderSettings.PART);
        long now = System.currentTimeMillis();
        Set<String> ids = new HashSet<>();
        Output out = new Output(body.length() + 1024);
        Router.Placement first = null;
        int count = 0;
        try (JsonParser p = Json.FACTORY.createParser((java.io.InputStream) new ByteBufInputStream(((BufferInternal) body).getByteBuf().duplicate()));
             JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            // A field given twice is refused, as the Anthropic door refuses it: parsers disagree on which copy counts.
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !p.currentName().equals("requests") || p.nextToken() != JsonToken.START_ARRAY) {
                throw ApiError.invalidRequest("body: expected {\"requests\": [...]} and no other field");
            }
            g.writeStartObject();
            g.writeArrayFieldStart("requests");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw ApiError.invalidRequest("body: not valid JSON (it ends inside the requests array)");
                }
                int i = count++;
                if (count > MAX_REQUESTS) {
                    throw ApiError.invalidRequest("requests: more than " + MAX_REQUESTS + " requests (expected: 1 to "
                            + MAX_REQUESTS + ")");
                }
                JsonNode r = Json.MAPPER.readTree(p);
                String customId = customId(r, i, ids);
                String where = "requests[" + i + "] (custom_id \"" + customId + "\")";
                ObjectNode params = (ObjectNode) r.get("params");
                RequestFacts facts = inspect(params, where);
                Router.Placement placed = placed(router, who, facts, now, where);
                ApiError refused = models.refusal(who, facts.model(), router.resolve(facts.model()), placed.target().servedModel());
                if (refused != null) {
                    throw new ApiError(refused.status(), refused.type(), where + ".params.model: " + refused.getMessage(), false, null);
                }
                if (first == null) {
                    first = placed;
                } else if (!first.target().upstream().equals(placed.target().upstream())) {
                    throw ApiError.invalidRequest(where + ".params.model: routes to upstream '" + placed.target().upstream()
                            + "' and requests[0] to '" + first.target().upstream() + "': a batch goes upstream as one call;"
                            + " split it by model");
                }
                guard.checkCustomId(snapshot, who, placed.target().upstream(), facts.model(), i, customId, auditId);
                String served = providers.get(placed.target().upstream(), AnthropicSettings.class).model(placed.target().servedModel());
                byte[] forwarded = forwarded(params, facts.model(), served, snapshot, who, placed, guard, where, auditId);
                asks.add(placed.target().servedModel(), forwarded.length, facts.maxTokens());
                g.writeStartObject();
                g.writeStringField("custom_id", customId);
                g.writeFieldName("params");
                g.writeRawValue(new String(forwarded, java.nio.charset.StandardCharsets.UTF_8));
                g.writeEndObject();
            }
            if (p.nextToken() != JsonToken.END_OBJECT) {
                throw ApiError.invalidRequest("body: expected {\"requests\": [...]} and no other field");
            }
            if (p.nextToken() != null) {
                throw ApiError.invalidRequest("body: not valid JSON (more after the object)");
            }
            if (count == 0) {
                throw ApiError.invalidRequest("requests: 0 requests (expected: 1 to " + MAX_REQUESTS + ")");
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (JsonProcessingException e) {
            throw ApiError.invalidRequest("body: not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // reading and writing memory
        }
        return new Plan(first.target().upstream(), first.keys(), out.buffer(), asks, count);
    }

    private static Router.Placement placed(Router router, Identity who, RequestFacts facts, long now, String where) {
        Router.Placement placed;
        try {
            placed = router.place(who, facts.model(), now);
        } catch (ApiError e) { // the caller's allow-list: the route stage's words, naming the request
            throw new ApiError(e.status(), e.type(), where + ".params.model: " + e.getMessage(), false, null);
        }
        if (placed == null) {
            throw ApiError.invalidRequest(where + ".params.model: no route for '" + facts.model() + "' on this gateway");
        }
        if (!"anthropic".equals(placed.target().provider())) {
            throw ApiError.invalidRequest(where + ".params.model: '" + facts.model() + "' routes to upstream '"
                    + placed.target().upstream() + "' (provider " + placed.target().provider() + "), and the gateway"
                    + " carries Message Batches only to Anthropic's API: Bedrock and Vertex AI batch inference and"
                    + " OpenAI's Batch API are other APIs (jobs over files). Route the model to an anthropic upstream,"
                    + " or send these requests to /v1/messages.");
        }
        return placed;
    }

    /** The body written for the upstream, handed on as it lies (no copy of a body that may be tens of megabytes). */
    private static final class Output extends ByteArrayOutputStream {
        Output(int size) {
            super(size);
        }

        Buffer buffer() {
            return BufferInternal.buffer(Unpooled.wrappedBuffer(buf, 0, count));
        }
    }

    private static String customId(JsonNode r, int i, Set<String> ids) {
        if (!r.isObject() || !r.path("params").isObject() || !r.path("custom_id").isTextual()) {
            throw ApiError.invalidRequest("requests[" + i + "]: expected {\"custom_id\": string, \"params\": object}");
        }
        for (Iterator<String> names = r.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("custom_id") && !name.equals("params")) {
                throw ApiError.invalidRequest("requests[" + i + "]." + dev.sluice.respond.Replies.bounded(name)
                        + ": unknown field (expected: custom_id and params)");
            }
        }
        String id = r.get("custom_id").asText();
        if (!CUSTOM_ID.matcher(id).matches()) {
            throw ApiError.invalidRequest("requests[" + i + "].custom_id: '" + dev.sluice.respond.Replies.bounded(id)
                    + "' (expected: 1 to 64 letters, digits, - or _)");
        }
        if (!ids.add(id)) {
            throw ApiError.invalidRequest("requests[" + i + "].custom_id: '" + id + "' is given twice (expected: unique in the batch)");
        }
        return id;
    }

    /** The Anthropic door's own checks of a Messages body; a batch's requests do not stream or hold threads. */
    private static RequestFacts inspect(ObjectNode params, String where) {
        RequestFacts facts;
        try {
            facts = AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, RequestBody.of(Json.MAPPER.writeValueAsBytes(params))).facts();
        } catch (ApiError e) {
            throw new ApiError(e.status(), e.type(), where + ".params: " + e.getMessage(), false, null);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (facts.model() == null) {
            throw ApiError.invalidRequest(where + ".params.model: required");
        }
        if (facts.stream()) {
            throw ApiError.invalidRequest(where + ".params.stream: a batch's requests do not stream (expected: false or absent)");
        }
        if (params.hasNonNull("thread")) {
            // A continue here would skip the check that a thread is the caller's (route.ThreadHomes): the upstream account
            // holds every gateway key's threads, and would build on whichever one the id names.
            throw ApiError.invalidRequest(where + ".params.thread: a batch's requests do not create or continue server-held"
                    + " threads (expected: absent); send the whole conversation in messages");
        }
        return facts;
    }

    /** The params as the upstream gets them: guard-checked (maybe redacted), with the served model's name. */
    private static byte[] forwarded(ObjectNode params, String requested, String served, Snapshot snapshot, Identity who,
                                    Router.Placement placed, BatchGuard guard, String where, String auditId) throws IOException {
        byte[] bytes = Json.MAPPER.writeValueAsBytes(params);
        BatchGuard.Checked checked = guard.check(snapshot, who, placed.target().upstream(), requested, where, bytes, auditId);
        if (served.equals(requested)) {
            return checked.params();
        }
        ObjectNode edited = checked.params() == bytes ? params : (ObjectNode) Json.MAPPER.readTree(checked.params());
        edited.put("model", served);
        return Json.MAPPER.writeValueAsBytes(edited);
    }
}
