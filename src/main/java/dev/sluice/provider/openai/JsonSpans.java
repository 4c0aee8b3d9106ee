package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.provider.bedrock.TopLevelFields;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Byte spans of JSON values, for translations that copy the client's bytes instead of decoding them. */
public final class JsonSpans {
    private JsonSpans() {
    }

    /**
     * The fields of each object element of the array at {@code field}'s value, in one parser pass; a non-object
     * element is a null entry.
     */
    public static List<TopLevelFields> objects(byte[] json, TopLevelFields.Field field) {
        List<TopLevelFields> out = new ArrayList<>();
        if (field == null || json[field.valueStart()] != '[') {
            return out;
        }
        int start = field.valueStart();
        try (JsonParser p = Json.FACTORY.createParser(json, start, field.valueEnd() - start)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != null && t != JsonToken.END_ARRAY) {
                if (t == JsonToken.START_OBJECT) {
                    out.add(TopLevelFields.read(p, json, start));
                } else {
                    p.skipChildren();
                    out.add(null);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
