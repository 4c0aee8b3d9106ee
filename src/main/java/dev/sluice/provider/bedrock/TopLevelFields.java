package dev.sluice.provider.bedrock;

import dev.sluice.wire.Json;
import dev.sluice.wire.JsonCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte spans of a JSON object's top-level fields, found in one validating pass with the gateway's
 * {@link JsonCursor} (nested values are skipped, never decoded; string contents are scanned a vector
 * register at a time). Provider adaptations use the spans to
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
