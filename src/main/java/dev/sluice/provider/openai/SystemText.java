package dev.sluice.provider.openai;

import dev.sluice.provider.bedrock.TopLevelFields;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Anthropic's {@code system} (a string, or text blocks) as one JSON string for the OpenAI system message, built
 * from the client's escaped bytes: a string is copied whole; text blocks' escaped contents are joined with an
 * escaped blank line. Claude Code's system prompt is about half of its request, and is never decoded here.
 */
final class SystemText {
    private static final byte[] TEXT = "\"text\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] BLANK_LINE = "\\n\\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SystemText() {
    }

    /** The system text as a raw JSON string value, or null when there is none (or it is empty). */
    static RawJson of(byte[] json, TopLevelFields.Field system) throws IOException {
        if (system == null) {
            return null;
        }
        int start = system.valueStart();
        if (json[start] == '"') {
            return system.valueEnd() - start > 2 ? new RawJson(json, start, system.valueEnd()) : null;
        }
        if (json[start] != '[') {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(system.valueEnd() - start);
        out.write('"');
        boolean first = true;
        for (TopLevelFields block : JsonSpans.objects(json, system)) {
            if (block == null) {
                continue;
            }
            TopLevelFields.Field type = block.find("type");
            TopLevelFields.Field text = block.find("text");
            if (type == null || text == null || json[text.valueStart()] != '"'
                    || !java.util.Arrays.equals(json, type.valueStart(), type.valueEnd(), TEXT, 0, TEXT.length)) {
                continue;
            }
            if (!first) {
                out.writeBytes(BLANK_LINE);
            }
            first = false;
            out.write(json, text.valueStart() + 1, text.valueEnd() - text.valueStart() - 2);
        }
        if (first) {
            return null;
        }
        out.write('"');
        byte[] bytes = out.toByteArray();
        return new RawJson(bytes, 0, bytes.length);
    }
}
