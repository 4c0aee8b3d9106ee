package dev.sluice.trace;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Just enough of the protobuf wire format to read OTLP export requests without the generated classes:
 * walk the fields of one message, read varints, fixed64s and length-delimited values.
 */
final class ProtoReader {
    private final byte[] buf;
    private int pos;
    private final int limit;
    private int tag;

    ProtoReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    private ProtoReader(byte[] buf, int pos, int limit) {
        this.buf = buf;
        this.pos = pos;
        this.limit = limit;
    }

    /** Moves to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= limit) {
            return false;
        }
        tag = (int) varint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf[pos++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
        throw new IllegalStateException("malformed varint at " + pos);
    }

    long fixed64() {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (buf[pos++] & 0xffL) << (8 * i);
        }
        return v;
    }

    byte[] bytes() {
        int n = (int) varint();
        byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return out;
    }

    String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** The current length-delimited field as an embedded message. */
    ProtoReader message() {
        int n = (int) varint();
        ProtoReader m = new ProtoReader(buf, pos, pos + n);
        pos += n;
        return m;
    }

    void skip() {
        switch (tag & 7) {
            case 0 -> varint();
            case 1 -> pos += 8;
            case 2 -> {
                int n = (int) varint(); // not "pos += varint()": that adds to pos as it was before the length was read
                pos += n;
            }
            case 5 -> pos += 4;
            default -> throw new IllegalStateException("unsupported wire type " + (tag & 7) + " for field " + field());
        }
    }
}
