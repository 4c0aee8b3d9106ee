package dev.sluice.provider.vertex;

import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.util.Set;

/**
 * A canonical Messages body adapted for Vertex's rawPredict, as byte-range edits: {@code model} dropped
 * (it is in the path), {@code stream} kept, {@code "anthropic_version":"vertex-2023-10-16"} added. Betas stay
 * in the {@code anthropic-beta} header. For count-tokens the model stays in the body, as Vertex's id.
 */
public final class VertexBody {
    public static final String ANTHROPIC_VERSION = "vertex-2023-10-16";

    private VertexBody() {
    }

    public static RequestBody rawPredictBody(RequestBody body) {
        return adapt(body, Set.of("model"), null);
    }

    /** The count-tokens body: the model named by Vertex's id, plus {@code anthropic_version}. */
    public static RequestBody countTokensBody(RequestBody body, String vertexModel) {
        return adapt(body, Set.of(), vertexModel);
    }

    private static RequestBody adapt(RequestBody body, Set<String> drop, String model) {
        RequestBody base = dev.sluice.provider.EditedBody.flatten(body);
        TopLevelFields fields;
        try {
            fields = TopLevelFields.scan(base.array(), base.length());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        FieldEdits plan = FieldEdits.dropping(drop).set("anthropic_version", "\"" + ANTHROPIC_VERSION + "\"");
        if (model != null) {
            plan.set("model", "\"" + model + "\""); // checked against VertexTarget's safe set: no escaping needed
        }
        plan.applyTo(base, fields, "vertex: body");
        return base;
    }
}
