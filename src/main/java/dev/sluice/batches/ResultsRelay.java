package dev.sluice.batches;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Arrays;

/**
 * Streams a batch's results (JSON lines) from the upstream to the client as they arrive, never holding the whole body:
 * each chunk is written on, and only the line under way is kept, to hand each complete line to the billing. When the
 * client's socket is full the upstream is paused; when the client leaves, the rest is still read (and billed) to its end,
 * as the responder drains a stream whose client went away. With no client (the sweeper) it only reads and bills.
 */
final class ResultsRelay {
    /** Longest results line kept for billing (a message of the largest outputs is a few megabytes). */
    static final int MAX_LINE = 16 * 1024 * 1024;

    /** Told each complete line of the body, in order. */
    interface Lines {
        void line(byte[] bytes, int off, int len);
    }

    private final Lines lines;
    private byte[] pending = new byte[8192];
    private int held;
    private boolean overlong;

    ResultsRelay(Lines lines) {
        this.lines = lines;
    }

    /**
     * Reads {@code upstream}'s body to its end; {@code client} (null: none) gets every byte and its end. Succeeds when the
     * body ended whole, fails when it broke (the lines read so far were billed; the rest is billed when read again).
     */
    static Future<Void> relay(HttpClientResponse upstream, HttpServerResponse client, Lines lines) {
        ResultsRelay relay = new ResultsRelay(lines);
        Promise<Void> done = Promise.promise();
        boolean[] clientGone = {client == null};
        if (client != null) {
            client.closeHandler(v -> {
                clientGone[0] = true;
                upstream.resume(); // read on to the end: every result is billed whether or not anyone reads it
            });
            client.drainHandler(v -> upstream.resume());
        }
        upstream.handler(chunk -> {
            relay.feed(chunk);
            if (!clientGone[0] && !client.closed()) {
                client.write(chunk);
                if (client.writeQueueFull()) {
                    upstream.pause();
                }
            }
        });
        upstream.exceptionHandler(e -> {
            if (!clientGone[0] && !client.closed()) {
                client.reset(); // a cut body must not look whole to the client
            }
            done.tryFail(e);
        });
        upstream.endHandler(v -> {
            relay.finish();
            if (!clientGone[0] && !client.closed()) {
                client.end();
            }
            done.tryComplete();
        });
        return done.future();
    }

    /** Takes one chunk of the body, telling each line it completes. */
    void feed(Buffer chunk) {
        byte[] b = chunk.getBytes();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n') {
                append(b, start, i - start);
                emit();
                start = i + 1;
            }
        }
        append(b, start, b.length - start);
    }

    /** The body ended: a last line without its newline still counts. */
    void finish() {
        emit();
    }

    private void append(byte[] b, int off, int len) {
        if (overlong || len == 0) {
            return;
        }
        if (held + len > MAX_LINE) {
            overlong = true; // told below as a line that is not JSON: logged and counted, never billed as zero silently
            return;
        }
        if (held + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(held + len, Math.min(MAX_LINE, pending.length * 2)));
        }
        System.arraycopy(b, off, pending, held, len);
        held += len;
    }

    private void emit() {
        if (overlong) {
            lines.line(new byte[] {'?'}, 0, 1);
        } else if (held > 0) {
            int len = pending[held - 1] == '\r' ? held - 1 : held; // CRLF lines too
            if (len > 0) {
                lines.line(pending, 0, len);
            }
        }
        held = 0;
        overlong = false;
    }
}
