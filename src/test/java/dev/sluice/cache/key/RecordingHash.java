package dev.sluice.cache.key;

import java.io.ByteArrayOutputStream;

/** A {@link KeyHash} that keeps the canonical stream, to see what a key is made of. */
final class RecordingHash implements KeyHash {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void update(byte value) {
        bytes.write(value);
    }

    @Override
    public void update(byte[] src, int off, int len) {
        bytes.write(src, off, len);
    }

    @Override
    public KeyHash copy() {
        RecordingHash c = new RecordingHash();
        c.bytes.writeBytes(bytes.toByteArray());
        return c;
    }

    @Override
    public void finish(byte[] out, int off) {
    }

    /** The stream with control bytes shown as {@code <xx>}, for diffs. */
    String readable() {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes.toByteArray()) {
            if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            } else {
                sb.append(String.format("<%02x>", b & 0xFF));
            }
        }
        return sb.toString();
    }
}
