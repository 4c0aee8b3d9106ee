package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One Anthropic content block being written by the translation: built as a tree, or written field by field from the
 * client's bytes (string contents, copied escaped); either way it may carry the client's {@code cache_control}, written
 * last, just before the block's closing brace.
 */
final class CanonicalBlock {
    /** Writes a block's fields (not its braces) from the client's bytes. */
    interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private final ObjectNode tree;
    private final Fields fields;
    private JsonNode cacheControl;

    private CanonicalBlock(ObjectNode tree, Fields fields) {
        this.tree = tree;
        this.fields = fields;
    }

    static CanonicalBlock of(JsonNode tree) {
        return new CanonicalBlock((ObjectNode) tree, null);
    }

    static CanonicalBlock writing(Fields fields) {
        return new CanonicalBlock(null, fields);
    }

    /** Marks this block as a cache breakpoint (null: none). */
    CanonicalBlock cacheControl(JsonNode marker) {
        if (marker != null) {
            this.cacheControl = marker;
        }
        return this;
    }

    boolean marked() {
        return cacheControl != null;
    }

    void write(JsonGenerator g) throws IOException {
        if (tree != null) {
            if (cacheControl != null) {
                tree.set("cache_control", cacheControl);
            }
            g.writeTree(tree);
            return;
        }
        g.writeStartObject();
        fields.write(g);
        if (cacheControl != null) {
            g.writeFieldName("cache_control");
            g.writeTree(cacheControl);
        }
        g.writeEndObject();
    }

    /** One text block per part, each with its marker, when any part carries one; null when none does. */
    static List<CanonicalBlock> markedTextParts(JsonNode parts, String where, CacheMarkers marks) {
        if (parts == null || !parts.isArray() || !hasMarker(parts)) {
            return null;
        }
        ChatMessagesReader.joinedText(parts, where); // the same checks as the joined form: text (or refusal) parts only
        List<CanonicalBlock> blocks = new ArrayList<>(parts.size());
        int i = 0;
        for (JsonNode part : parts) {
            String type = part.path("type").asText();
            String text = part.path(type.equals("refusal") ? "refusal" : "text").asText();
            JsonNode marker = marks.read(part.get("cache_control"), where + ".content." + i++);
            blocks.add(CanonicalBlock.of(ChatMessagesReader.textNode(text)).cacheControl(marker));
        }
        return blocks;
    }

    private static boolean hasMarker(JsonNode parts) {
        for (JsonNode part : parts) {
            JsonNode marker = part.get("cache_control");
            if (marker != null && !marker.isNull()) {
                return true;
            }
        }
        return false;
    }
}
