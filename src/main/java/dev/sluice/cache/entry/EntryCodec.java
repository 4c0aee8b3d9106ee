package dev.sluice.cache.entry;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Placeholder;
import dev.sluice.wire.Usage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The byte form of a {@link CacheEntry} for stores that keep bytes (Redis): a small header, then the
 * payload, deflated when that pays.
 *
 * <p>Compression: SSE streams repeat their framing for every token ({@code event: content_block_delta
 * data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"..."}}}), so a
 * streamed answer deflates to a fraction of its size (measured in docs/bench/cache.md). It is only
 * used above {@link #COMPRESS_FROM} bytes and kept only when it saves a quarter, so small answers are
 * not slowed by an inflate on every hit.
 *
 * <p>Decoding checks every length against what is left, so a corrupt or foreign value is rejected
 * (and the lookup is a miss), never an exception from deep inside or a huge allocation.
 */
public final class EntryCodec {
    /** Payloads at least this long are tried with deflate. */
    public static final int COMPRESS_FROM = 4096;

    private static final int MAGIC = 0x534C4301; // "SLC" + format 1
    private static final int MAX_INFLATED = 64 * 1024 * 1024;

    private EntryCodec() {
    }

    public static byte[] encode(CacheEntry e) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(e.payload().length / 3 + 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeByte(e.form().ordinal());
            out.writeLong(e.createdAt());
            out.writeLong(e.expiresAt());
            writeString(out, e.model());
            writeString(out, e.stopReason());
            Usage u = e.usage();
            for (long v : new long[] {u.inputTokens(), u.outputTokens(), u.cacheCreationInputTokens(), u.cacheReadInputTokens(),
                    u.cacheCreation5m(), u.cacheCreation1h(), u.webSearchRequests(), u.webFetchRequests()}) {
                out.writeLong(v);
            }
            out.writeByte(e.pins().size());
            for (Map.Entry<Placeholder, String> pin : e.pins().entrySet()) {
                out.writeByte(pin.getKey().id());
                writeString(out, pin.getValue());
            }
            out.writeInt(e.eventEnds().length);
            for (int end : e.eventEnds()) {
                out.writeInt(end);
            }
            byte[] deflated = e.payload().length >= COMPRESS_FROM ? deflate(e.payload()) : null;
            boolean compressed = deflated != null && deflated.length < e.payload().length * 3 / 4;
            out.writeBoolean(compressed);
            out.writeInt(e.payload().length);
            byte[] body = compressed ? deflated : e.payload();
            out.writeInt(body.length);
            out.write(body);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex); // a ByteArrayOutputStream does not fail
        }
    }

    /** The entry, or null when the bytes are not one this codec wrote. */
    public static CacheEntry decode(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
            if (in.readInt() != MAGIC) {
                return null;
            }
            int form = in.readUnsignedByte();
            if (form >= CacheEntry.Form.values().length) {
                return null;
            }
            long created = in.readLong();
            long expires = in.readLong();
            String model = readString(in, bytes.length);
            String stop = readString(in, bytes.length);
            long[] u = new long[8];
            for (int k = 0; k < u.length; k++) {
                u[k] = in.readLong();
                if (u[k] < 0) {
                    return null;
                }
            }
            int pinCount = in.readUnsignedByte();
            EnumMap<Placeholder, String> pins = new EnumMap<>(Placeholder.class);
            for (int k = 0; k < pinCount; k++) {
                pins.put(Placeholder.byId(in.readUnsignedByte()), readString(in, bytes.length));
            }
            int events = in.readInt();
            if (events < 0 || events > bytes.length / 4) {
                return null;
            }
            int[] ends = new int[events];
            for (int k = 0; k < events; k++) {
                ends[k] = in.readInt();
            }
            boolean compressed = in.readBoolean();
            int length = in.readInt();
            int stored = in.readInt();
            if (length < 0 || length > MAX_INFLATED || stored < 0 || stored > in.available()) {
                return null;
            }
            byte[] body = in.readNBytes(stored);
            byte[] payload = compressed ? inflate(body, length) : body;
            if (payload == null || payload.length != length || !endsFit(ends, length)) {
                return null;
            }
            return new CacheEntry(CacheEntry.Form.values()[form], payload, ends, model, stop,
                    new Usage(u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7]), pins, created, expires);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean endsFit(int[] ends, int length) {
        int last = 0;
        for (int end : ends) {
            if (end <= last || end > length) {
                return false;
            }
            last = end;
        }
        return true;
    }

    private static byte[] deflate(byte[] data) {
        Deflater d = new Deflater(Deflater.BEST_SPEED);
        try {
            d.setInput(data);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 4 + 64);
            byte[] buf = new byte[16384];
            while (!d.finished()) {
                out.write(buf, 0, d.deflate(buf));
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    private static byte[] inflate(byte[] data, int length) {
        Inflater i = new Inflater();
        try {
            i.setInput(data);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length && !i.finished()) {
                int got = i.inflate(out, n, length - n);
                if (got == 0 && (i.needsInput() || i.needsDictionary())) {
                    return null;
                }
                n += got;
            }
            return n == length && i.finished() ? out : null;
        } catch (DataFormatException e) {
            return null;
        } finally {
            i.end();
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in, int max) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > max || n > in.available()) {
            throw new IOException("bad string length " + n);
        }
        return new String(in.readNBytes(n), UTF_8);
    }
}
