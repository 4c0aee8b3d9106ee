package dev.sluice.authenticate;

import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Replies;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who is asking, for the gateway's own endpoints outside the pipeline (usage, request lookup): the
 * same rules as the authenticate stage, answering the 401 itself when the caller is unknown.
 */
public final class Callers {
    private Callers() {
    }

    /** The caller's identity, or null after answering 401. In open mode an unknown caller is the open caller. */
    public static Identity identify(KeyResolver keys, HttpServerRequest req) {
        String presented = Credentials.presented(req.headers());
        Identity found = presented == null ? null : keys.resolve(presented);
        if (found == null && keys.isEmpty()) {
            return Identity.OPEN;
        }
        if (found == null) {
            Replies.send(req.response(), ApiError.authentication(presented == null
                    ? "x-api-key header is required" : "invalid x-api-key"), "");
        }
        return found;
    }
}
