package dev.sluice.translate;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Drops the gateway's own thinking blocks ({@link ForeignThinking}) from a Messages body bound for Claude, as byte-range
 * deletions (every other byte goes as the client sent it: cache_control, Claude's own signed blocks):
 * <ol>
 *   <li>one streaming pass (no tree of the conversation) finds each message's blocks and their byte spans, and the
 *       top-level {@code thinking};</li>
 *   <li>a block whose type is {@code thinking} and whose signature is the gateway's is deleted with the comma that
 *       joined it; a message left without blocks is deleted whole (Claude refuses empty content);</li>
 *   <li>Claude requires, with thinking on, that the assistant message of a tool loop under way (the last message a
 *       user turn holding a {@code tool_result}) start with a thinking block. When a dropped block was that one, the
 *       request goes with {@code "thinking":{"type":"disabled"}}: the next user question thinks again, as at the
 *       OpenAI chat door, whose messages cannot carry a signature either.</li>
 * </ol>
 */
final class ThinkingStrip {
    private static final byte[] DISABLED = "{\"type\":\"disabled\"}".getBytes(StandardCharsets.US_ASCII);

    /** One element of a JSON array by its span; {@code drop} to delete it. */
    private static final class Span {
        final int start;
        int end;
        boolean drop;

        Span(int start) {
            this.start = start;
        }
    }

    /** One message: its span, role, blocks and what the loop rule reads. */
    private static final class Message {
        final Span span;
        String role = "";
        final List<Span> blocks = new ArrayList<>();
        final List<String> types = new ArrayList<>();
        boolean toolResult;

        Message(int start) {
            span = new Span(start);
        }

        /** The type of the first block kept, or "" for none (or a string content). */
        String firstKept() {
            for (int i = 0; i < blocks.size(); i++) {
                if (!blocks.get(i).drop) {
                    return types.get(i);
                }
            }
            return "";
        }

        boolean dropped() {
            return blocks.stream().anyMatch(b -> b.drop);
        }
    }

    private ThinkingStrip() {
    }

    /** Adds the deletions (and the thinking switch) to {@code body}, an unedited body. */
    static void apply(RequestBody body) {
        List<Message> messages = new ArrayList<>();
        Span thinking = null;
        String thinkingType = "";
        try (JsonParser p = Json.FACTORY.createParser(body.array(), 0, body.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("messages") && value == JsonToken.START_ARRAY) {
                    readMessages(p, messages);
                } else if (name.equals("thinking") && value == JsonToken.START_OBJECT) {
                    thinking = new Span(offset(p));
                    JsonNode tree = p.readValueAsTree();
                    thinking.end = offset(p) + 1;
                    thinkingType = tree.path("type").asText("");
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw ApiError.invalidRequest("request body is not valid JSON");
        }
        List<Span> spans = new ArrayList<>();
        for (Message m : messages) {
            if (!m.blocks.isEmpty() && m.blocks.stream().allMatch(b -> b.drop)) {
                m.span.drop = true; // the whole message goes: Claude refuses an empty content
            }
            spans.add(m.span);
        }
        for (Message m : messages) {
            if (!m.span.drop) {
                delete(body, m.blocks, "translate: foreign thinking");
            }
        }
        delete(body, spans, "translate: foreign thinking");
        if (thinking != null && (thinkingType.equals("enabled") || thinkingType.equals("adaptive")) && loopLostItsBlock(messages)) {
            body.replace(thinking.start, thinking.end, DISABLED, "translate: thinking off (foreign thinking dropped)");
        }
    }

    /** The tool loop under way lost the thinking block in front of it: Claude would refuse it with thinking on. */
    private static boolean loopLostItsBlock(List<Message> messages) {
        List<Message> kept = messages.stream().filter(m -> !m.span.drop).toList();
        int n = kept.size();
        if (n < 2 || !kept.get(n - 1).role.equals("user") || !kept.get(n - 1).toolResult) {
            return false;
        }
        Message assistant = kept.get(n - 2);
        String first = assistant.firstKept();
        return assistant.role.equals("assistant") && assistant.dropped()
                && !first.equals("thinking") && !first.equals("redacted_thinking");
    }

    private static void readMessages(JsonParser p, List<Message> out) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Message m = new Message(offset(p));
            if (p.currentToken() != JsonToken.START_OBJECT) {
                p.skipChildren(); // not a message: Claude will say so; kept, so its neighbours' commas stay right
                m.span.end = end(p);
                out.add(m);
                continue;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("role") && value == JsonToken.VALUE_STRING) {
                    m.role = p.getText();
                } else if (name.equals("content") && value == JsonToken.START_ARRAY) {
                    readBlocks(p, m);
                } else {
                    p.skipChildren();
                }
            }
            m.span.end = offset(p) + 1;
            out.add(m);
        }
    }

    private static void readBlocks(JsonParser p, Message m) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            Span block = new Span(offset(p));
            String type = "";
            String signature = null;
            if (p.currentToken() == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    if (name.equals("type") && value == JsonToken.VALUE_STRING) {
                        type = p.getText();
                    } else if (name.equals("signature") && value == JsonToken.VALUE_STRING) {
                        signature = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            block.end = end(p);
            block.drop = type.equals("thinking") && ForeignThinking.isForeign(signature);
            m.toolResult |= type.equals("tool_result");
            m.blocks.add(block);
            m.types.add(type);
        }
    }

    /**
     * Deletes the elements marked {@code drop} of one array, each run of them with the comma that joins it to a kept
     * neighbour (the one after it, else the one before); a run that is the whole array leaves {@code []}.
     */
    private static void delete(RequestBody body, List<Span> elements, String reason) {
        int i = 0;
        while (i < elements.size()) {
            if (!elements.get(i).drop) {
                i++;
                continue;
            }
            int j = i;
            while (j + 1 < elements.size() && elements.get(j + 1).drop) {
                j++;
            }
            if (j + 1 < elements.size()) {
                body.delete(elements.get(i).start, elements.get(j + 1).start, reason);
            } else if (i > 0) {
                body.delete(elements.get(i - 1).end, elements.get(j).end, reason);
            } else {
                body.delete(elements.get(i).start, elements.get(j).end, reason);
            }
            i = j + 1;
        }
    }

    /** Just past the value that ends with the current token: a closing bracket, or a scalar read to its end. */
    private static int end(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
            return offset(p) + 1;
        }
        p.getText(); // a string is read lazily: this takes the parser past its closing quote
        return (int) p.currentLocation().getByteOffset();
    }

    /** Where the current token starts, as a byte offset into the body. */
    private static int offset(JsonParser p) {
        return (int) p.currentTokenLocation().getByteOffset();
    }
}
