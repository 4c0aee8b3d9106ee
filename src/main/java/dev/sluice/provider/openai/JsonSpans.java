package dev.sluice.provider.openai;

import dev.sluice.provider.bedrock.TopLevelFields;
import dev.sluice.wire.Json;
import dev.sluice.wire.JsonCursor;
import java.util.ArrayList;
import java.util.List;

/** Byte spans of JSON values, for translations that copy the client's bytes instead of decoding them. */
public final class JsonSpans {
    private JsonSpans() {
    }

    /**
     * The fields of each object element of the array at {@code field}'s value, in one parser pass; a non-object
     * element is a null entry.
     *
     * @throws IllegalArgumentException when the array is not valid JSON (spans from a validating scan always are)
     */
    public static List<TopLevelFields> objects(byte[] json, TopLevelFields.Field field) {
        List<TopLevelFields> out = new ArrayList<>();
        if (field == null || json[field.valueStart()] != '[') {
            return out;
        }
        JsonCursor in = new JsonCursor(json, field.valueStart(), field.valueEnd(), Json.MAX_DEPTH);
        try {
            in.enter('[');
            if (in.consume(']')) {
                return out;
            }
            do {
                if (in.peek() == '{') {
                    out.add(TopLevelFields.read(in, json));
                } else {
                    in.skipValue();
                    out.add(null);
                }
            } while (in.consume(','));
            in.expect(']', "',' or ']' in an array");
        } catch (JsonCursor.JsonError e) {
            throw new IllegalArgumentException(field.name() + ": not valid JSON (" + e.getMessage() + " at byte " + e.offset() + ")", e);
        }
        return out;
    }

    /** True when the field's raw value is exactly {@code literal} (e.g. {@code "\"text\""}). */
    public static boolean is(byte[] json, TopLevelFields.Field field, byte[] literal) {
        return field != null && java.util.Arrays.equals(json, field.valueStart(), field.valueEnd(), literal, 0, literal.length);
    }

    /** The field's value as raw JSON, or null. */
    public static RawJson raw(byte[] json, TopLevelFields.Field field) {
        return field == null ? null : new RawJson(json, field.valueStart(), field.valueEnd());
    }

    /** True when the field holds a JSON string. */
    public static boolean isString(byte[] json, TopLevelFields.Field field) {
        return field != null && json[field.valueStart()] == '"';
    }
}
