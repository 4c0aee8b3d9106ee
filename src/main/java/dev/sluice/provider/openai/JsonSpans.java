package dev.sluice.provider.openai;

import dev.sluice.wire.body.TopLevelFields;
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
     * The field must come from a validating {@link TopLevelFields#scan} (or from a walk of such a field): the array is
     * walked with {@link TopLevelFields#readValid}, which checks nothing again.
     */
    public static List<TopLevelFields> objects(byte[] json, TopLevelFields.Field field) {
        List<TopLevelFields> out = new ArrayList<>();
        if (field == null || json[field.valueStart()] != '[') {
            return out;
        }
        int i = TopLevelFields.Valid.space(json, field.valueStart() + 1);
        while (json[i] != ']') {
            if (json[i] == '{') {
                TopLevelFields object = TopLevelFields.readValid(json, i);
                out.add(object);
                i = object.objectEnd() + 1;
            } else {
                out.add(null);
                i = TopLevelFields.Valid.value(json, i);
            }
            i = TopLevelFields.Valid.space(json, i);
            if (json[i] == ',') {
                i = TopLevelFields.Valid.space(json, i + 1);
            }
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
