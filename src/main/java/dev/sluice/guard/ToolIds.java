package dev.sluice.guard;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a Messages body holds tool call ids: {@code messages[i].content[j].id} (a tool_use block's) and
 * {@code .tool_use_id} (a tool_result's), as raw byte ranges inside their quotes. A redaction inside one replaces the
 * whole id with an id ({@link Redactor}): the upstream refuses an id that is not {@code ^[a-zA-Z0-9_-]+$}, and a
 * tool_result must name its tool_use by the same id. Found by one streaming parse, run only when a finding sits in a
 * field named like an id; a tool's input may have an {@code id} member too, and that one is text like any other.
 */
final class ToolIds {
    private ToolIds() {
    }

    /** The ranges {@code [start, end)} of the ids' raw bytes in {@code body[0, length)}, in body order. */
    static List<int[]> of(byte[] body, int length) {
        List<int[]> out = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body, 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.START_ARRAY && name.equals("messages")) {
                    each(p, () -> message(p, out));
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException | RuntimeException e) {
            // The scan walked this body already; one that does not parse here holds no id to rewrite.
        }
        return out;
    }

    /** The range of {@code ids} that holds {@code [start, end)}, or null. */
    static int[] holding(List<int[]> ids, int start, int end) {
        for (int[] id : ids) {
            if (id[0] <= start && end <= id[1]) {
                return id;
            }
        }
        return null;
    }

    /** True when a finding's field is named like a tool id: only then is the body parsed for ids. */
    static boolean named(Finding f) {
        String field = f.location().field();
        return field.equals("id") || field.equals("tool_use_id");
    }

    private interface Step {
        void run() throws IOException;
    }

    /** Runs {@code object} for each object of the array just opened, passing over anything else. */
    private static void each(JsonParser p, Step object) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (t == JsonToken.START_OBJECT) {
                object.run();
            } else {
                p.skipChildren();
            }
        }
    }

    private static void message(JsonParser p, List<int[]> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.START_ARRAY && name.equals("content")) {
                each(p, () -> block(p, out));
            } else {
                p.skipChildren();
            }
        }
    }

    private static void block(JsonParser p, List<int[]> out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING && (name.equals("id") || name.equals("tool_use_id"))) {
                int start = (int) p.currentTokenLocation().getByteOffset() + 1;
                p.finishToken();
                int end = (int) p.currentLocation().getByteOffset() - 1;
                out.add(new int[] {start, end});
            } else {
                p.skipChildren();
            }
        }
    }
}
