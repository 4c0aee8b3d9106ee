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

    /**
     * The first event that is not a keep-alive opens a message ({@code message_start}) or is an error. Every decoder
     * begins a canonical Messages stream so; anything else (a {@code content_block_delta} with no message around it, a
     * lone {@code message_stop}, text no SSE parser reads as an event of the API) is an answer no client can read, and
     * nothing of it has reached the client yet, so it is a broken answer the plan may try elsewhere, not a 200.
     */
    static boolean opensMessage(List<SseEvent> events) {
        for (SseEvent e : events) {
            if (!e.keepAlive()) {
                return "message_start".equals(e.type()) || "error".equals(e.type());
            }
        }
        return false;
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
