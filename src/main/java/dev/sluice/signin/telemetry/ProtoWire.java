package dev.sluice.signin.telemetry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to rewrite OTLP resources without the generated classes:
 * walk a message field by field, copy fields untouched, and write length-delimited fields and
 * strings. Every length is checked against the bytes that remain, so a hostile body ends in a
 * {@link Malformed}, never in an out-of-bounds read or a huge allocation.
 */
final class ProtoWire {
    static final int VARINT = 0;
    static final int I64 = 1;
    static final int LEN = 2;
    static final int I32 = 5;

    private ProtoWire() {
    }

    /** A cursor over one message's fields: {@code [from, to)} of {@code bytes}. */
    static final class Reader {
        private final byte[] bytes;
        private final int to;
        private int pos;
        private int fieldStart;
        private int field;
        private int wireType;
        private int valueStart;
        private int valueEnd;

        Reader(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.pos = from;
            this.to = to;
        }

        /** Moves to the next field; false at the end of the message. */
        boolean next() {
            if (pos >= to) {
                return false;
            }
            fieldStart = pos;
            long tag = varint();
            field = (int) (tag >>> 3);
            wireType = (int) (tag & 7);
            if (field <= 0) {
                throw new Malformed("field number " + field);
            }
            switch (wireType) {
                case VARINT -> {
                    valueStart = pos;
                    varint();
                }
                case I64 -> skipFixed(8);
                case I32 -> skipFixed(4);
                case LEN -> {
                    long n = varint();
                    if (n < 0 || n > to - pos) {
                        throw new Malformed("a length of " + n + " with " + (to - pos) + " bytes left");
                    }
                    valueStart = pos;
                    pos += (int) n;
                }
                default -> throw new Malformed("wire type " + wireType); // groups (3, 4) are not used by OTLP
            }
            valueEnd = pos;
            return true;
        }

        int field() {
            return field;
        }

        int wireType() {
            return wireType;
        }

        /** The current length-delimited field's content, as a reader. */
        Reader message() {
            requireLen();
            return new Reader(bytes, valueStart, valueEnd);
        }

        String string() {
            requireLen();
            return new String(bytes, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
        }

        /** Appends the current length-delimited field's content (without tag and length) to {@code out}. */
        void contentTo(ByteArrayOutputStream out) {
            requireLen();
            out.write(bytes, valueStart, valueEnd - valueStart);
        }

        /** Copies the current field (tag and value) exactly as it was. */
        void copyTo(ByteArrayOutputStream out) {
            out.write(bytes, fieldStart, valueEnd - fieldStart);
        }

        private void requireLen() {
            if (wireType != LEN) {
                throw new Malformed("field " + field + " has wire type " + wireType + " where a message was expected");
            }
        }

        private void skipFixed(int n) {
            if (to - pos < n) {
                throw new Malformed("a truncated fixed-width field");
            }
            valueStart = pos;
            pos += n;
        }

        private long varint() {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= to) {
                    throw new Malformed("a truncated varint");
                }
                byte b = bytes[pos++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return v;
                }
            }
            throw new Malformed("a varint longer than 10 bytes");
        }
    }

    static void writeTag(ByteArrayOutputStream out, int field, int wireType) {
        writeVarint(out, ((long) field << 3) | wireType);
    }

    static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    static void writeLen(ByteArrayOutputStream out, int field, byte[] value) {
        writeTag(out, field, LEN);
        writeVarint(out, value.length);
        out.writeBytes(value);
    }

    static void writeString(ByteArrayOutputStream out, int field, String value) {
        writeLen(out, field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The body is not the protobuf it claims to be. */
    static final class Malformed extends RuntimeException {
        Malformed(String what) {
            super("malformed protobuf: " + what, null, false, false);
        }
    }
}
