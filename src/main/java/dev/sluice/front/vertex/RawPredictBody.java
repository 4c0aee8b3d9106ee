package dev.sluice.front.vertex;

import dev.sluice.pipeline.RequestBody;
import dev.sluice.provider.EditedBody;
import dev.sluice.provider.catalog.ClaudeModelIds;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A rawPredict body made canonical, as byte-range edits of a fork of the client's body (every other byte stays as the
 * client sent it): {@code anthropic_version} removed, {@code model} set to the Anthropic name routes and prices match
 * ({@code claude-sonnet-4-5@20250929} → {@code claude-sonnet-4-5-20250929}; an id that does not map passes as given),
 * {@code stream} as the call says. The edits are applied once, into the body the pipeline then carries; the client's
 * original stays for the audit. This is the reverse of {@code provider.vertex.VertexBody}, which adapts a canonical
 * body for a Vertex upstream.
 */
final class RawPredictBody {
    /** The Messages API version Vertex's {@code vertex-2023-10-16} stands for. */
    static final String VERTEX_2023_API = "2023-06-01";
    /**
     * {@code vertex-2023-10-16} (Claude Code, the Python SDK), or the API version itself: the Vertex SDK 1.x moves its
     * {@code anthropic-version} header ({@code 2026-10-21}) into the body and sends no header.
     */
    private static final Pattern VERSION = Pattern.compile("\"(vertex-)?(\\d{4}-\\d{2}-\\d{2})\"");
    /** A model id in the count-tokens body: a JSON string of Vertex id characters, so no escape needs reading. */
    private static final Pattern MODEL_VALUE = Pattern.compile("\"[A-Za-z0-9._@-]{1,128}\"");
    private static final Set<String> OWN = Set.of("anthropic_version", "model", "stream");

    /**
     * @param body       the canonical body
     * @param apiVersion the Messages API version the body named, for an {@code anthropic-version} header the client
     *                   did not send ({@value #VERTEX_2023_API} when it named none)
     */
    record Canonical(RequestBody body, String apiVersion) {
    }

    private RawPredictBody() {
    }

    /** The canonical body of a Messages call on {@code call}'s model. */
    static Canonical messages(RequestBody body, VertexCall call) {
        RequestBody edited = body.fork();
        TopLevelFields fields = scan(edited);
        FieldEdits plan = FieldEdits.dropping(Set.of("anthropic_version"))
                .set("model", quoted(anthropicName(call.model()))); // the path names the model, as on Vertex
        TopLevelFields.Field stream = fields.find("stream");
        if (stream != null) {
            String given = text(edited, stream);
            if (!given.equals("true") && !given.equals("false")) {
                throw ApiError.invalidRequest("stream: expected true or false");
            }
            if (Boolean.parseBoolean(given) != call.stream()) {
                throw ApiError.invalidRequest("stream: " + given + " on :" + (call.stream() ? "streamRawPredict" : "rawPredict")
                        + " (expected: " + call.stream() + "; the call decides, use :" + (call.stream() ? "rawPredict" : "streamRawPredict")
                        + " for " + (call.stream() ? "a whole answer" : "a stream") + ")");
            }
        } else if (call.stream()) {
            plan.set("stream", "true");
        }
        plan.applyTo(edited, fields, "vertex door: canonical body");
        return new Canonical(EditedBody.flatten(edited), apiVersion(edited, fields));
    }

    /** The canonical body of a count-tokens call: the model in the body, as on Vertex, named as Anthropic names it. */
    static Canonical countTokens(RequestBody body) {
        RequestBody edited = body.fork();
        TopLevelFields fields = scan(edited);
        TopLevelFields.Field model = fields.find("model");
        String given = model == null ? null : text(edited, model);
        if (given == null || !MODEL_VALUE.matcher(given).matches()) {
            throw ApiError.invalidRequest("model: " + (given == null ? "missing" : VertexCall.shown(given))
                    + " (expected: the body of count-tokens:rawPredict names the model, as a Vertex model id such as"
                    + " \"claude-sonnet-4-5@20250929\")");
        }
        String vertexId = given.substring(1, given.length() - 1);
        FieldEdits.dropping(Set.of("anthropic_version")).set("model", quoted(anthropicName(vertexId)))
                .applyTo(edited, fields, "vertex door: canonical body");
        return new Canonical(EditedBody.flatten(edited), apiVersion(edited, fields));
    }

    /** Vertex's id ({@code claude-sonnet-4-5@20250929}) as the Anthropic name; one that does not map passes as given. */
    static String anthropicName(String vertexId) {
        return ClaudeModelIds.builtIn().fromProvider(vertexId);
    }

    /** The body's top-level fields; {@code anthropic_version}, {@code model} and {@code stream} each given once, and well-formed. */
    private static TopLevelFields scan(RequestBody body) {
        if (body.length() == 0) {
            throw ApiError.invalidRequest("Request body is empty (expected: a JSON object)");
        }
        TopLevelFields fields;
        try {
            fields = TopLevelFields.scan(body.array(), body.length());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        // A field given twice is refused (parsers disagree on which copy counts); the canonical body's inspection
        // checks the others, but these three this door edits, and an edit applies to every copy.
        Set<String> seen = new HashSet<>(4);
        for (TopLevelFields.Field f : fields.fields()) {
            if (OWN.contains(f.name()) && !seen.add(f.name())) {
                throw ApiError.invalidRequest(f.name() + ": given twice (expected: once)");
            }
        }
        TopLevelFields.Field version = fields.find("anthropic_version");
        if (version != null && !VERSION.matcher(text(body, version)).matches()) {
            throw ApiError.invalidRequest("anthropic_version: " + VertexCall.shown(text(body, version))
                    + " (expected: \"vertex-2023-10-16\", or an API version such as \"2023-06-01\")");
        }
        return fields;
    }

    private static String apiVersion(RequestBody body, TopLevelFields fields) {
        TopLevelFields.Field version = fields.find("anthropic_version");
        if (version == null) {
            return VERTEX_2023_API;
        }
        var m = VERSION.matcher(text(body, version));
        return m.matches() && m.group(1) == null ? m.group(2) : VERTEX_2023_API; // checked by scan
    }

    /** A field's raw JSON value, at most 200 bytes of it (every value this door accepts is shorter). */
    private static String text(RequestBody body, TopLevelFields.Field f) {
        return new String(body.array(), f.valueStart(), Math.min(f.valueEnd() - f.valueStart(), 200), StandardCharsets.UTF_8);
    }

    /** A model id as a JSON string: {@link VertexCall#check} and the patterns above allow no character needing escape. */
    private static String quoted(String id) {
        return "\"" + id + "\"";
    }
}
