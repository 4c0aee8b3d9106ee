package dev.sluice.provider;

import dev.sluice.pipeline.RequestBody;
import io.netty.buffer.ByteBuf;
import io.vertx.core.internal.buffer.BufferInternal;

/** A request body with the pipeline's edits applied, as a body of its own, for adapters that edit or translate it. */
public final class EditedBody {
    private EditedBody() {
    }

    /**
     * The body's bytes as sent (its edits applied) as an unedited body: an unedited body is forked (the original
     * bytes shared), an edited one wraps the array its edits were applied into ({@link RequestBody#bytes()} builds
     * that array once and never writes to it again), so a 60 KB request is not copied once more just to be adapted.
     */
    public static RequestBody flatten(RequestBody body) {
        if (!body.edited()) {
            return body.fork();
        }
        ByteBuf buf = ((BufferInternal) body.bytes()).getByteBuf();
        if (buf.hasArray() && buf.arrayOffset() + buf.readerIndex() == 0) {
            return RequestBody.wrap(buf.array(), buf.readableBytes());
        }
        return RequestBody.of(body.bytes().getBytes());
    }
}
