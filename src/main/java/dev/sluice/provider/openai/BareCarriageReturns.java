package dev.sluice.provider.openai;

import io.vertx.core.buffer.Buffer;

/**
 * A stream's bare carriage returns as line feeds, so the SSE framer (which ends lines at LF or CRLF) reads the third
 * line ending the SSE specification allows: a server that ends its lines with CR alone would otherwise never complete
 * an event, and its answer, whole, would reach the client as a broken one. A CR last in a chunk waits for the next
 * one, which says whether it begins a CRLF. The translated stream is rendered afresh, so the upstream's bytes need not
 * pass through unchanged.
 */
final class BareCarriageReturns {
    private boolean heldCr;

    /** {@code chunk} with each CR not followed by LF made an LF (a CR it ends with held back). */
    Buffer lines(Buffer chunk) {
        int n = chunk.length();
        if (!heldCr && !hasCr(chunk, n)) {
            return chunk;
        }
        Buffer out = Buffer.buffer(n + 1);
        if (heldCr) {
            out.appendByte(n > 0 && chunk.getByte(0) == '\n' ? (byte) '\r' : (byte) '\n');
            heldCr = false;
        }
        for (int i = 0; i < n; i++) {
            byte b = chunk.getByte(i);
            if (b != '\r') {
                out.appendByte(b);
            } else if (i + 1 == n) {
                heldCr = true;
            } else {
                out.appendByte(chunk.getByte(i + 1) == '\n' ? (byte) '\r' : (byte) '\n');
            }
        }
        return out;
    }

    /** What is held at the stream's end: a CR that was its last byte, as the line end it was. */
    Buffer end() {
        if (!heldCr) {
            return null;
        }
        heldCr = false;
        return Buffer.buffer("\n");
    }

    private static boolean hasCr(Buffer chunk, int n) {
        for (int i = 0; i < n; i++) {
            if (chunk.getByte(i) == '\r') {
                return true;
            }
        }
        return false;
    }
}
