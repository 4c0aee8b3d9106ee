package dev.sluice.sim;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Map;

/**
 * A canonical byte form of a content block for prompt-cache hashing: object keys sorted, no whitespace,
 * and every {@code cache_control} dropped. Moving a breakpoint or reordering keys must not change what a
 * prefix "is", just as on the real API where the cache keys on the rendered prompt.
 */
final class CanonicalJson {

    private CanonicalJson() {
    }

    static byte[] of(JsonNode node) {
        ByteArrayBuilder out = new ByteArrayBuilder(256);
        try (JsonGenerator generator = SimJson.MAPPER.getFactory().createGenerator(out)) {
            write(generator, node);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise a JSON tree", e); // in-memory: cannot happen
        }
        return out.toByteArray();
    }

    private static void write(JsonGenerator generator, JsonNode node) throws IOException {
        if (node.isObject()) {
            var fields = new ArrayList<Map.Entry<String, JsonNode>>(node.properties());
            fields.sort(Map.Entry.comparingByKey());
            generator.writeStartObject();
            for (var field : fields) {
                if (!field.getKey().equals("cache_control")) {
                    generator.writeFieldName(field.getKey());
                    write(generator, field.getValue());
                }
            }
            generator.writeEndObject();
        } else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                write(generator, element);
            }
            generator.writeEndArray();
        } else {
            generator.writeTree(node);
        }
    }
}
