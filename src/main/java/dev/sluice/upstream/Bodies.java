package dev.sluice.upstream;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import java.nio.charset.StandardCharsets;

/** Body edits every provider adapter needs. */
public final class Bodies {
    private Bodies() {
    }

    /**
     * The exchange's body for one attempt, with {@code model} as the model name when it differs from
     * the requested one: only the bytes of that JSON string change, every other byte goes as sent.
     * The exchange's own body is not touched (a next attempt may go elsewhere under another name).
     */
    public static RequestBody withModel(Exchange ex, String model) {
        return withModel(ex.body(), ex.facts(), model);
    }

    /** {@code body} with {@code model} as its model name (a fork with one edit), or {@code body} itself when unchanged. */
    public static RequestBody withModel(RequestBody body, RequestFacts facts, String model) {
        if (model == null || model.equals(facts.model())) {
            return body;
        }
        RequestFacts.Field field = facts.field("model");
        if (field == null) {
            return body;
        }
        RequestBody forked = body.fork();
        byte[] quoted = ("\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"")
                .getBytes(StandardCharsets.UTF_8);
        forked.replace(field.valueStart(), field.valueEnd(), quoted, "route: model");
        return forked;
    }
}
