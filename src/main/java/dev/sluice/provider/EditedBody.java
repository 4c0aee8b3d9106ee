package dev.sluice.provider;

import dev.sluice.pipeline.RequestBody;

/** A request body with the pipeline's edits applied, as a body of its own, for adapters that edit or translate it. */
public final class EditedBody {
    private EditedBody() {
    }

    /**
     * The body's bytes as sent (its edits applied) as an unedited body: an unedited body is forked (the original
     * bytes shared); an edited one is copied once into an array of its own ({@link RequestBody#bytes()} is a
     * composite of slices, which parsers cannot walk as one array). Only adapters that rewrite the body pay it.
     */
    public static RequestBody flatten(RequestBody body) {
        if (!body.edited()) {
            return body.fork();
        }
        return RequestBody.of(body.bytes().getBytes());
    }
}
