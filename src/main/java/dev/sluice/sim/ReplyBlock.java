package dev.sluice.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One content block of a generated reply, pre-split into one-token pieces so the stream writer and the
 * billing agree on exactly how many output tokens went out.
 */
sealed interface ReplyBlock {

    /** One-token pieces; their count is the block's output tokens. */
    List<String> pieces();

    default int outputTokens() {
        return pieces().size();
    }

    record Text(List<String> pieces) implements ReplyBlock {
        String text() {
            return String.join("", pieces);
        }
    }

    record Thinking(List<String> pieces, String signature) implements ReplyBlock {
        String thinking() {
            return String.join("", pieces);
        }
    }

    /** A tool call; the pieces are its input JSON, streamed as {@code input_json_delta}. */
    record ToolUse(String id, String name, ObjectNode input, List<String> pieces) implements ReplyBlock {
        static ToolUse of(String name, ObjectNode input) {
            return new ToolUse(Ids.toolUseId(), name, input, Tokenizer.pieces(input.toString()));
        }
    }
}
