package dev.sluice.signin.telemetry;

import java.io.ByteArrayOutputStream;

/** Protobuf fields written by hand for the relay's tests (through the relay's own {@link ProtoWire}). */
final class ProtoBytes {
    private ProtoBytes() {
    }

    static byte[] string(int field, String value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWire.writeString(out, field, value);
        return out.toByteArray();
    }

    static byte[] len(int field, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtoWire.writeLen(out, field, value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
