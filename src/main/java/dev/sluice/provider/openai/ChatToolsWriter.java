package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;

/**
 * Anthropic {@code tools} as OpenAI functions, by byte spans: each tool's {@code name}, {@code description} and
 * {@code input_schema} are copied as the client's raw JSON into {@code function.name}, {@code .description} and
 * {@code .parameters}. Claude Code's tool definitions are most of its 60 KB request; copying them instead of
 * decoding and re-escaping keeps the translation cheap. Server tools ({@code type} other than {@code custom}),
 * which only Anthropic runs, are left out.
 */
final class ChatToolsWriter {
    private static final byte[] CUSTOM = "\"custom\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ChatToolsWriter() {
    }

    /** Writes {@code "tools":[...]} when the array holds at least one client tool; returns whether it did. */
    static boolean write(JsonGenerator g, byte[] json, TopLevelFields.Field tools) throws IOException {
        if (tools == null || json[tools.valueStart()] != '[') {
            return false;
        }
        boolean any = false;
        for (TopLevelFields tool : JsonSpans.objects(json, tools)) {
            if (tool == null || !isClientTool(json, tool)) {
                continue;
            }
            if (!any) {
                g.writeArrayFieldStart("tools");
                any = true;
            }
            function(g, json, tool);
        }
        if (any) {
            g.writeEndArray();
        }
        return any;
    }

    private static boolean isClientTool(byte[] json, TopLevelFields tool) {
        TopLevelFields.Field name = tool.find("name");
        if (name == null || json[name.valueStart()] != '"') {
            return false;
        }
        TopLevelFields.Field type = tool.find("type");
        return type == null || java.util.Arrays.equals(json, type.valueStart(), type.valueEnd(), CUSTOM, 0, CUSTOM.length);
    }

    private static void function(JsonGenerator g, byte[] json, TopLevelFields tool) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "function");
        g.writeObjectFieldStart("function");
        raw(g, json, "name", tool.find("name"));
        TopLevelFields.Field description = tool.find("description");
        if (description != null && json[description.valueStart()] == '"') {
            raw(g, json, "description", description);
        }
        TopLevelFields.Field schema = tool.find("input_schema");
        if (schema != null && json[schema.valueStart()] == '{') {
            raw(g, json, "parameters", schema);
        } else {
            g.writeFieldName("parameters");
            g.writeRawValue("{\"type\":\"object\",\"properties\":{}}");
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void raw(JsonGenerator g, byte[] json, String name, TopLevelFields.Field field) throws IOException {
        g.writeFieldName(name);
        new RawJson(json, field.valueStart(), field.valueEnd()).writeValue(g);
    }
}
