package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

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
}
