package dev.sluice.provider.bedrock;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import software.amazon.awssdk.eventstream.Message;

/**
 * Cuts Bedrock's binary event stream into frames, whatever the network's chunking, holding only the bytes that have
 * arrived. Each frame opens with a 12-byte prelude (total length, headers length, the prelude's CRC32); a whole frame
 * is decoded and its message CRC checked by the SDK's {@link Message#decode}.
 *
 * <p>Why not the SDK's own {@code MessageDecoder}: it allocates a buffer of the length a prelude declares as soon as it
 * reads it, so twelve bytes from a broken or hostile upstream claiming a 24 MB frame cost 24 MB per stream before one
 * byte of it arrived. Here the declared length is checked against {@link #MAX_FRAME_BYTES} (an Anthropic event is a few
 * hundred bytes; the relay holds at most 16 MB between two events anyway) with the prelude's CRC, and the buffer grows
 * only with the bytes received.
 */
final class EventStreamFrames {
    /** The largest frame accepted: past it the stream is broken, at once, without waiting for the bytes. */
    static final int MAX_FRAME_BYTES = 16 << 20;
    private static final int PRELUDE = 12;
    /** Prelude, no headers, no payload, message CRC. */
    private static final int MIN_FRAME_BYTES = PRELUDE + 4;

    private byte[] buf = new byte[0];
    private int len;

    /**
     * Adds {@code bytes} and appends the frames they complete to {@code out}.
     *
     * @throws IllegalArgumentException on a prelude or message CRC that does not match, or a length out of bounds; the
     *                                  frames completed before it in this call are in {@code out}
     */
    void feed(byte[] bytes, List<Message> out) {
        if (len + bytes.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(Math.max(buf.length * 2, 4096), len + bytes.length));
        }
        System.arraycopy(bytes, 0, buf, len, bytes.length);
        len += bytes.length;
        int start = 0;
        while (len - start >= PRELUDE) {
            int total = checkedLength(start);
            if (len - start < total) {
                break;
            }
            out.add(Message.decode(ByteBuffer.wrap(buf, start, total).slice()));
            start += total;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, len - start);
            len -= start;
        }
        if (buf.length > 4096 && len < buf.length / 4) {
            buf = Arrays.copyOf(buf, Math.max(4096, len)); // one large frame does not pin its buffer for the stream's life
        }
    }

    /** Bytes received of a frame not yet complete (a stream that ends with some is cut). */
    int pending() {
        return len;
    }

    private int checkedLength(int at) {
        ByteBuffer prelude = ByteBuffer.wrap(buf, at, PRELUDE);
        long total = Integer.toUnsignedLong(prelude.getInt());
        long headers = Integer.toUnsignedLong(prelude.getInt());
        long crc = Integer.toUnsignedLong(prelude.getInt());
        CRC32 computed = new CRC32();
        computed.update(buf, at, 8);
        if (computed.getValue() != crc) {
            throw new IllegalArgumentException("event-stream prelude checksum does not match");
        }
        if (total < MIN_FRAME_BYTES || total > MAX_FRAME_BYTES || headers > total - MIN_FRAME_BYTES) {
            throw new IllegalArgumentException("event-stream frame of " + total + " bytes with " + headers
                    + " bytes of headers (expected: at most " + MAX_FRAME_BYTES + ")");
        }
        return (int) total;
    }
}
