package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.wire.Json;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The output of one request translation: a byte array kept per thread and reused, so translating a 60 KB request
 * allocates its result once (exactly sized, {@link #toArray()} or {@link #toBuffer()}) instead of a generator's
 * chain of blocks, their concatenation and a copy into a buffer. A {@link JsonGenerator} writes its structure into
 * it, and {@link RawJson#writeValue} appends large copied spans straight here, past the generator's own buffer.
 *
 * <p>Confined to the thread that took it, between {@link #take} and the result: translations do not nest. An array
 * that grew past {@link #KEEP} (a request carrying images) is let go afterwards, so an event loop does not hold on
 * to the largest body it ever translated.
 */
public final class SpanOutput extends OutputStream {
    static final int KEEP = 1 << 20;
    private static final ThreadLocal<SpanOutput> PER_THREAD = ThreadLocal.withInitial(SpanOutput::new);

    private byte[] bytes = new byte[64 * 1024];
    private int count;

    private SpanOutput() {
    }

    /** This thread's output, emptied, with room for about {@code expected} bytes. */
    public static SpanOutput take(int expected) {
        SpanOutput out = PER_THREAD.get();
        out.count = 0;
        if (out.bytes.length < expected || (out.bytes.length > KEEP && expected <= KEEP)) {
            out.bytes = new byte[Math.max(expected, 64 * 1024)];
        }
        return out;
    }

    /** A generator writing into this output (closing it leaves the output open). */
    public JsonGenerator generator() {
        try {
            return Json.FACTORY.createGenerator(this).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(int b) {
        ensure(1);
        bytes[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, count, len);
        count += len;
    }

    private void ensure(int more) {
        if (count + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
        }
    }

    /** The bytes written, as an array of their own. */
    public byte[] toArray() {
        byte[] out = Arrays.copyOf(bytes, count);
        release();
        return out;
    }

    /** The bytes written, as a buffer of their own. */
    public Buffer toBuffer() {
        return BufferInternal.buffer(Unpooled.wrappedBuffer(toArray()));
    }

    private void release() {
        if (bytes.length > KEEP) {
            bytes = new byte[64 * 1024];
        }
        count = 0;
    }
}
