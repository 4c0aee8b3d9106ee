package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The byte spans of a JSON object's top-level fields, found in one streaming pass with the gateway's
 * shared factory (nested values are skipped, never decoded). Provider adaptations use the spans to
 * drop, replace or add top-level fields as {@link dev.sluice.pipeline.RequestBody} edits, so every
 * other byte (cache_control on any block, unknown fields) goes upstream exactly as the client sent it.
 *
 * <p>Spans come from Jackson's token locations: a key starts at its opening quote, a value at its first
 * byte; a value ends where the whitespace and the comma before the next key (or the closing brace) begin.
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
     * into {@code json}.
     *
     * @throws IllegalArgumentException when it is not one JSON object
     */
    public static TopLevelFields scan(byte[] json, int from, int to) {
        try (JsonParser p = Json.FACTORY.createParser(json, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("request body: expected a JSON object");
            }
            return read(p, json, from);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body: not valid JSON (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads the fields of the object {@code p} is positioned at (on its START_OBJECT), leaving {@code p} on its
     * END_OBJECT, so one parser can walk an array of objects in a single pass.
     *
     * @param base where {@code p}'s input starts in {@code json} (Jackson's offsets are relative to it)
     */
    public static TopLevelFields read(JsonParser p, byte[] json, int base) throws IOException {
        int objectStart = offset(p, base);
        List<Field> fields = new ArrayList<>(16);
        String name = null;
        int keyStart = -1;
        int valueStart = -1;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME || t == JsonToken.END_OBJECT) {
            int at = offset(p, base);
            if (name != null) {
                fields.add(new Field(name, keyStart, valueStart, valueEnd(json, at), at));
            }
            if (t == JsonToken.END_OBJECT) {
                return new TopLevelFields(json, objectStart, at, fields);
            }
            name = p.currentName();
            keyStart = at;
            p.nextToken();
            valueStart = offset(p, base);
            p.skipChildren();
        }
        throw new IllegalArgumentException("request body: unterminated JSON object");
    }

    /** Jackson's offsets count from the start of the parsed range. */
    private static int offset(JsonParser p, int from) {
        return from + (int) p.currentTokenLocation().getByteOffset();
    }

    /** Walks back from the next token over whitespace, one comma and whitespace again. */
    static int valueEnd(byte[] json, int next) {
        int i = next;
        while (i > 0 && isSpace(json[i - 1])) {
            i--;
        }
        if (i > 0 && json[i - 1] == ',') {
            i--;
            while (i > 0 && isSpace(json[i - 1])) {
                i--;
            }
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
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
