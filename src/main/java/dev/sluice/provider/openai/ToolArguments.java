package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * The argument text of the streamed tool call whose block is open, checked when the block closes: a server whose
 * arguments are no JSON object (a model that wrote {@code {"path": a.txt}}, a cut call) would otherwise hand an
 * Anthropic client a {@code tool_use} its SDK fails to parse at the block's end, with no word from the gateway. Text
 * past {@link #MAX_CHECKED} is not held (and not checked): the heap is not the upstream's to fill.
 */
final class ToolArguments {
    static final int MAX_CHECKED = 1 << 20;

    /** Null when no tool block is open. */
    private StringBuilder text;
    private boolean unchecked;

    void open() {
        text = new StringBuilder();
        unchecked = false;
    }

    void add(String piece) {
        if (text == null || unchecked) {
            return;
        }
        if (text.length() + piece.length() > MAX_CHECKED) {
            unchecked = true;
            text = new StringBuilder(0);
            return;
        }
        text.append(piece);
    }

    /** Ends the open tool block's text: false when it holds arguments that are not a JSON object. */
    boolean closeValid() {
        StringBuilder t = text;
        text = null;
        if (t == null || unchecked || t.toString().isBlank()) {
            return true; // no arguments: Anthropic's readers take an empty input as {}
        }
        try {
            JsonNode node = Json.MAPPER.readTree(t.toString());
            return node != null && node.isObject();
        } catch (IOException e) {
            return false;
        }
    }
}
