package dev.sluice.wire.body;

import dev.sluice.wire.Json;
import dev.sluice.wire.JsonCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte spans of a JSON object's top-level fields, found in one validating pass with the gateway's
 * {@link JsonCursor} (nested values are skipped, never decoded; string contents are scanned a vector
 * register at a time). Front doors and provider adaptations use the spans to
 * drop, replace or add top-level fields as {@link dev.sluice.pipeline.RequestBody} edits, so every
 * other byte (cache_control on any block, unknown fields) goes upstream exactly as the client sent it.
 *
 * <p>A key starts at its opening quote, a value at its first byte; a value ends where the whitespace and the
 * comma before the next key (or the closing brace) begin.
 */
public final class TopLevelFields {
    /**
     * One top-level field.
     *
     * @param keyStart   offset of the key's opening quote
     * @param valueStart offset of the value's first byte
     * @param valueEnd   offset just past the value
     * @param next       offset of the next key's quote, or of the object's closing brace
     */
    public record Field(String name, int keyStart, int valueStart, int valueEnd, int next) {
    }

    private final byte[] json;
    private final int objectStart;
    private final int objectEnd;
    private final List<Field> fields;

    private TopLevelFields(byte[] json, int objectStart, int objectEnd, List<Field> fields) {
        this.json = json;
        this.objectStart = objectStart;
        this.objectEnd = objectEnd;
        this.fields = fields;
    }

    /**
     * Scans {@code json[0, length)}.
     *
     * @throws IllegalArgumentException when it is not one JSON object
     */
    public static TopLevelFields scan(byte[] json, int length) {
        return scan(json, 0, length);
    }

    /**
     * Scans {@code json[0, length)} as a whole request body: one JSON object and nothing after it but whitespace.
     * A front door reads its client's body with this, not {@link #scan(byte[], int)}: what follows the object would
     * otherwise be read by no stage, yet reach an upstream that takes the body as the client wrote it, whose parser
     * may not stop where ours did.
     *
     * @throws IllegalArgumentException when it is not one JSON object, or something follows it
     */
    public static TopLevelFields scanDocument(byte[] json, int length) {
        JsonCursor in = new JsonCursor(json, 0, length, Json.MAX_DEPTH);
        try {
            if (in.peek() != '{') {
                throw new IllegalArgumentException("request body: expected a JSON object");
            }
            TopLevelFields top = read(in, json);
            if (in.peek() != -1) {
                throw new IllegalArgumentException("request body: not valid JSON (content after the JSON object at byte "
                        + in.pos() + ")");
            }
            return top;
        } catch (JsonCursor.JsonError e) {
            throw new IllegalArgumentException("request body: not valid JSON (" + e.getMessage() + " at byte " + e.offset() + ")", e);
        }
    }

    /**
     * Scans the object in {@code json[from, to)} (a nested value whose span an outer scan found); offsets are
     * into {@code json}. The object is validated as it is walked (grammar, escapes, UTF-8, nesting depth), but
     * nothing after its closing brace is looked at.
     *
     * @throws IllegalArgumentException when it is not one JSON object
     */
    public static TopLevelFields scan(byte[] json, int from, int to) {
        JsonCursor in = new JsonCursor(json, from, to, Json.MAX_DEPTH);
        try {
            if (in.peek() != '{') {
                throw new IllegalArgumentException("request body: expected a JSON object");
            }
            return read(in, json);
        } catch (JsonCursor.JsonError e) {
            throw new IllegalArgumentException("request body: not valid JSON (" + e.getMessage() + " at byte " + e.offset() + ")", e);
        }
    }

    /**
     * Reads the fields of the object at the cursor (on its opening brace), leaving the cursor just past its closing
     * brace, so one cursor can walk an array of objects in a single pass. Values are skipped with
     * {@link JsonCursor#skipValue()}, which scans string contents a vector register at a time.
     *
     * @throws JsonCursor.JsonError when the object is not valid JSON
     */
    public static TopLevelFields read(JsonCursor in, byte[] json) {
        int objectStart = in.pos();
        in.enter('{');
        List<Field> fields = new ArrayList<>(16);
        if (in.peek() != '}') {
            while (true) {
                if (in.peek() != '"') {
                    throw in.unexpected("a field name in double quotes");
                }
                int keyStart = in.pos();
                boolean escaped = in.skipString();
                String name = in.text(keyStart, in.pos(), escaped);
                in.expect(':', "':' after a field name");
                in.peek();
                int valueStart = in.pos();
                int valueEnd = in.skipValue();
                boolean more = in.consume(',');
                in.peek();
                fields.add(new Field(name, keyStart, valueStart, valueEnd, in.pos()));
                if (!more) {
                    break;
                }
            }
        }
        int objectEnd = in.pos();
        in.expect('}', "',' or '}' in an object");
        return new TopLevelFields(json, objectStart, objectEnd, fields);
    }

    /**
     * Reads the object at {@code objectStart} (its opening brace) inside a document a validating {@link #scan} has
     * already accepted whole, so nothing is checked again: values are skipped by finding their ends (a string's
     * closing quote eight bytes at a time, brackets by depth). Translations walk nested arrays and objects of a
     * request this way; re-validating every nested span costs more than the walk, on escape-dense text (code, logs in
     * tool results) several times more.
     *
     * @param json a document accepted by {@link #scan}, and {@code objectStart} the offset of an object's brace in it
     */
    public static TopLevelFields readValid(byte[] json, int objectStart) {
        List<Field> fields = new ArrayList<>(8);
        int i = Valid.space(json, objectStart + 1);
        while (json[i] != '}') {
            int keyStart = i;
            int keyEnd = Valid.string(json, i);
            String name = Valid.name(json, keyStart, keyEnd);
            int valueStart = Valid.space(json, Valid.space(json, keyEnd) + 1); // past the colon
            int valueEnd = Valid.value(json, valueStart);
            i = Valid.space(json, valueEnd);
            if (json[i] == ',') {
                i = Valid.space(json, i + 1);
            }
            fields.add(new Field(name, keyStart, valueStart, valueEnd, i));
        }
        return new TopLevelFields(json, objectStart, i, fields);
    }

    /** Skipping over JSON that is known to be valid. */
    public static final class Valid {
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGHS = 0x8080808080808080L;
        private static final long QUOTES = ONES * '"';
        private static final long BACKSLASHES = ONES * '\\';

        private Valid() {
        }

        public static int space(byte[] b, int i) {
            while (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
                i++;
            }
            return i;
        }

        /** The offset just past the value starting at {@code i}. */
        public static int value(byte[] b, int i) {
            byte c = b[i];
            if (c == '"') {
                return string(b, i);
            }
            if (c == '{' || c == '[') {
                int depth = 0;
                while (true) {
                    c = b[i];
                    if (c == '"') {
                        i = string(b, i);
                        continue;
                    }
                    if (c == '{' || c == '[') {
                        depth++;
                    } else if ((c == '}' || c == ']') && --depth == 0) {
                        return i + 1;
                    }
                    i++;
                }
            }
            while (i < b.length && c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                c = ++i < b.length ? b[i] : 0;
            }
            return i;
        }

        /** The offset just past the string whose opening quote is at {@code i}. */
        public static int string(byte[] b, int i) {
            i++;
            while (true) {
                while (i + 8 <= b.length) {
                    long x = (long) LONGS.get(b, i);
                    long special = zero(x ^ QUOTES) | zero(x ^ BACKSLASHES);
                    if (special != 0) {
                        i += Long.numberOfTrailingZeros(special) >>> 3;
                        break;
                    }
                    i += 8;
                }
                byte c = b[i];
                if (c == '"') {
                    return i + 1;
                }
                i += c == '\\' ? 2 : 1; // an escape's second byte is never its string's end
            }
        }

        private static long zero(long x) {
            return (x - ONES) & ~x & HIGHS;
        }

        static String name(byte[] b, int start, int end) {
            for (int i = start + 1; i < end - 1; i++) {
                if (b[i] == '\\') {
                    return new JsonCursor(b, start, end, 1).text(start, end, true);
                }
            }
            return new String(b, start + 1, end - start - 2, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first field with this name, or null. */
    public Field find(String name) {
        for (Field f : fields) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** Offset of the opening brace. */
    public int objectStart() {
        return objectStart;
    }

    /** Offset of the closing brace. */
    public int objectEnd() {
        return objectEnd;
    }

    /** The raw bytes of a field's value. */
    public byte[] value(Field f) {
        return java.util.Arrays.copyOfRange(json, f.valueStart(), f.valueEnd());
    }
}
