package dev.sluice.upstream;

import dev.sluice.wire.SseEvent;
import dev.sluice.wire.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * What the attempt loop reads of an answer's start before anything is committed to the client: whether its status is
 * one an API answers with, and whether its first event (keep-alives aside) is an error, which leaves it retryable.
 */
final class AnswerStart {
    private AnswerStart() {
    }

    /** A final status an API answers with: a success or an error. Redirects, interim and unknown statuses are not. */
    static boolean apiStatus(int status) {
        return status >= 200 && status < 300 || status >= 400 && status <= 599;
    }

    /** The data of the first event when it is an error envelope, or null. */
    static Buffer errorEnvelope(List<SseEvent> events) {
        for (SseEvent e : events) {
            if (!e.keepAlive()) {
                Buffer data = Buffer.buffer(e.data());
                return "error".equals(e.type()) && UpstreamErrors.isEnvelope(data) ? data : null;
            }
        }
        return null;
    }

    /** The first event that is not a keep-alive is an error: the answer never started, so it can be retried. */
    static boolean startsWithError(List<SseEvent> events) {
        for (SseEvent e : events) {
            if (!e.keepAlive()) {
                return "error".equals(e.type());
            }
        }
        return false;
    }
}
