package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.provider.openai.JsonSpans;
import dev.sluice.provider.openai.RawJson;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI chat messages as Anthropic's {@code system} and {@code messages}. System and developer messages gather
 * into {@code system}; {@code tool} messages become {@code tool_result} blocks and join the user turn that
 * follows them (Anthropic wants every result of an assistant turn in the next user message); assistant
 * {@code tool_calls} become {@code tool_use} blocks; content parts as {@link ContentParts} says. String contents,
 * which carry most of the bytes, are copied as the client's escaped JSON instead of being decoded and re-encoded.
 */
final class ChatMessagesReader {
    private static final byte[] EMPTY = "\"\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private ChatMessagesReader() {
    }

    /** A turn being built: its role and content blocks. */
    private record Turn(String role, List<CanonicalBlock> blocks) {
    }

    /**
     * Writes {@code system} and {@code messages}, each client marker ({@link CacheMarkers}) on the block it maps to; a
     * top-level one ({@code topLevelMarker}, or null) on the last block, unless that block has one already.
     *
     * @return whether a {@code tool} message follows the last assistant message: the last user turn carries a
     *         {@code tool_result}, so the assistant turn's tool loop is under way
     */
    static boolean write(JsonGenerator g, byte[] json, TopLevelFields.Field messages, CacheMarkers marks, JsonNode topLevelMarker)
            throws IOException {
        List<TopLevelFields> spans = JsonSpans.objects(json, messages);
        if (spans.isEmpty()) {
            throw ApiError.invalidRequest("messages: expected a non-empty array");
        }
        List<CanonicalBlock> system = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        boolean resultsSinceAssistant = false;
        for (int i = 0; i < spans.size(); i++) {
            String where = "messages." + i;
            TopLevelFields m = spans.get(i);
            if (m == null) {
                throw ApiError.invalidRequest(where + ": expected an object");
            }
            ChatFields.once(m.fields(), where + ".");
            JsonNode roleNode = tree(json, m.find("role"));
            String role = roleNode == null ? "" : roleNode.asText("");
            resultsSinceAssistant = role.equals("tool") || (resultsSinceAssistant && !role.equals("assistant"));
            TopLevelFields.Field content = m.find("content");
            List<CanonicalBlock> blocks = switch (role) {
                case "system", "developer" -> textBlocks(json, content, where, marks);
                case "user" -> userBlocks(json, content, where, marks);
                case "tool" -> List.of(toolResult(json, m, where, marks));
                case "assistant" -> assistantBlocks(json, m, where, marks);
                default -> throw ApiError.invalidRequest(where + ".role: " + Bounded.text(String.valueOf(roleNode), 40)
                        + " (expected: system, developer, user, assistant or tool)");
            };
            markLast(blocks, tree(json, m.find("cache_control")), where, marks);
            if (role.equals("system") || role.equals("developer")) {
                system.addAll(blocks);
            } else {
                add(turns, role.equals("assistant") ? "assistant" : "user", blocks);
            }
        }
        if (!system.isEmpty()) {
            g.writeArrayFieldStart("system");
            for (CanonicalBlock b : system) {
                b.write(g);
            }
            g.writeEndArray();
        }
        if (turns.isEmpty()) {
            throw ApiError.invalidRequest("messages: at least one user or assistant message is required");
        }
        markLast(turns.getLast().blocks(), topLevelMarker, "", marks);
        g.writeArrayFieldStart("messages");
        for (Turn t : turns) {
            g.writeStartObject();
            g.writeStringField("role", t.role());
            g.writeArrayFieldStart("content");
            for (CanonicalBlock b : t.blocks()) {
                b.write(g);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        return resultsSinceAssistant;
    }

    /** Consecutive turns of one role merge (tool results then the user's text make one user turn). */
    private static void add(List<Turn> turns, String role, List<CanonicalBlock> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        if (!turns.isEmpty() && turns.getLast().role().equals(role)) {
            turns.getLast().blocks().addAll(blocks);
        } else {
            turns.add(new Turn(role, new ArrayList<>(blocks)));
        }
    }

    /**
     * A message-level marker goes on the last block the message gave (LiteLLM's convention), unless a part's marker is
     * there already (one breakpoint, counted once); a message that gave none has nowhere to put it, and is refused
     * rather than the marker dropped.
     */
    private static void markLast(List<CanonicalBlock> blocks, JsonNode marker, String where, CacheMarkers marks) {
        if (marks.checked(marker, where) == null) {
            return;
        }
        if (blocks.isEmpty()) {
            throw ApiError.invalidRequest(where + ".cache_control: expected a message with content to mark");
        }
        if (!blocks.getLast().marked()) {
            blocks.getLast().cacheControl(marks.read(marker, where));
        }
    }

    /**
     * The text of a system, developer or assistant content: a string as one text block (copied), an array of text parts
     * joined into one block, or, when a part carries a marker, one block per part so the breakpoint stays where the
     * client put it.
     */
    private static List<CanonicalBlock> textBlocks(byte[] json, TopLevelFields.Field content, String where, CacheMarkers marks) {
        List<CanonicalBlock> blocks = new ArrayList<>(1);
        if (JsonSpans.isString(json, content)) {
            RawJson raw = JsonSpans.raw(json, content);
            blocks.add(CanonicalBlock.writing(g -> textFields(g, raw)));
            return blocks;
        }
        JsonNode parts = tree(json, content);
        List<CanonicalBlock> marked = CanonicalBlock.markedTextParts(parts, where, marks);
        if (marked != null) {
            return marked;
        }
        blocks.add(CanonicalBlock.of(textNode(joinedText(parts, where))));
        return blocks;
    }

    private static void textFields(JsonGenerator g, RawJson text) throws IOException {
        g.writeStringField("type", "text");
        g.writeFieldName("text");
        text.writeValue(g);
    }

    private static List<CanonicalBlock> userBlocks(byte[] json, TopLevelFields.Field content, String where, CacheMarkers marks) {
        List<CanonicalBlock> blocks = new ArrayList<>();
        if (content == null || JsonSpans.is(json, content, EMPTY) || json[content.valueStart()] == 'n') {
            return blocks;
        }
        if (JsonSpans.isString(json, content)) {
            return textBlocks(json, content, where, marks);
        }
        JsonNode parts = tree(json, content);
        if (!parts.isArray()) {
            throw ApiError.invalidRequest(where + ".content: expected a string or an array of parts");
        }
        int j = 0;
        for (JsonNode part : parts) {
            String at = where + ".content." + j++;
            blocks.add(CanonicalBlock.of(ContentParts.toBlock(part, at)).cacheControl(marks.read(part.get("cache_control"), at)));
        }
        return blocks;
    }

    private static List<CanonicalBlock> assistantBlocks(byte[] json, TopLevelFields m, String where, CacheMarkers marks) {
        List<CanonicalBlock> blocks = new ArrayList<>();
        TopLevelFields.Field legacy = m.find("function_call");
        if (legacy != null && json[legacy.valueStart()] != 'n') {
            throw ApiError.invalidRequest(where + ".function_call: not supported by this gateway (the legacy form of "
                    + "tool_calls; send tool_calls with an id, and tool messages for the results)");
        }
        TopLevelFields.Field content = m.find("content");
        if (content != null && !JsonSpans.is(json, content, EMPTY) && json[content.valueStart()] != 'n') {
            if (JsonSpans.isString(json, content)) {
                blocks.addAll(textBlocks(json, content, where, marks));
            } else {
                JsonNode parts = tree(json, content);
                List<CanonicalBlock> marked = CanonicalBlock.markedTextParts(parts, where, marks);
                String text = marked == null ? joinedText(parts, where) : "";
                if (marked != null) {
                    blocks.addAll(marked);
                } else if (!text.isEmpty()) {
                    blocks.add(CanonicalBlock.of(textNode(text)));
                }
            }
        }
        JsonNode calls = tree(json, m.find("tool_calls"));
        if (calls != null && !calls.isNull() && !calls.isArray()) {
            // An object's values or a string's nothing would be read as calls: the client's history would change unseen.
            throw ChatFields.invalidType(where + ".tool_calls", "an array of tool calls such as [{\"id\":...,\"type\":"
                    + "\"function\",\"function\":{\"name\":...,\"arguments\":\"{}\"}}]");
        }
        int j = 0;
        for (JsonNode call : calls == null ? Json.MAPPER.createArrayNode() : calls) {
            JsonNode fn = call.path("function");
            if (!call.path("id").isTextual() || !fn.path("name").isTextual()) {
                throw ApiError.invalidRequest(where + ".tool_calls." + j + ": expected an id and a function name");
            }
            var block = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", call.get("id").asText())
                    .put("name", fn.get("name").asText());
            block.set("input", arguments(fn.path("arguments").asText("")));
            blocks.add(CanonicalBlock.of(block));
            j++;
        }
        return blocks;
    }

    /** A tool message as a {@code tool_result}; marked parts keep their own blocks inside it. */
    private static CanonicalBlock toolResult(byte[] json, TopLevelFields m, String where, CacheMarkers marks) {
        JsonNode id = tree(json, m.find("tool_call_id"));
        if (id == null || !id.isTextual()) {
            throw ApiError.invalidRequest(where + ".tool_call_id: Field required");
        }
        TopLevelFields.Field content = m.find("content");
        RawJson raw = JsonSpans.isString(json, content) ? JsonSpans.raw(json, content) : null;
        JsonNode parts = raw == null ? tree(json, content) : null;
        List<CanonicalBlock> marked = raw == null ? CanonicalBlock.markedTextParts(parts, where, marks) : null;
        String text = raw == null && marked == null ? joinedText(parts, where) : null;
        return CanonicalBlock.writing(g -> {
            g.writeStringField("type", "tool_result");
            g.writeStringField("tool_use_id", id.asText());
            if (raw != null) {
                g.writeFieldName("content");
                raw.writeValue(g);
            } else if (marked != null) {
                g.writeArrayFieldStart("content");
                for (CanonicalBlock b : marked) {
                    b.write(g);
                }
                g.writeEndArray();
            } else {
                g.writeStringField("content", text);
            }
        });
    }

    static JsonNode textNode(String text) {
        return Json.MAPPER.createObjectNode().put("type", "text").put("text", text);
    }

    /** The text of an array of text (or refusal) parts; a string as it is. */
    static String joinedText(JsonNode content, String where) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ApiError.invalidRequest(where + ".content: expected a string or an array of text parts");
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        for (JsonNode part : content) {
            String type = part.path("type").asText();
            JsonNode text = part.path(type.equals("refusal") ? "refusal" : "text");
            if (!(type.equals("text") || type.equals("refusal")) || !text.isTextual()) {
                // A system, developer, tool or assistant message takes text parts only; any other part was dropped
                // without a word, so the model answered a question the client had not asked.
                throw ChatFields.invalidType(where + ".content." + i, "a text part such as {\"type\":\"text\",\"text\":\"...\"}");
            }
            sb.append(sb.isEmpty() ? "" : "\n").append(text.asText());
            i++;
        }
        return sb.toString();
    }

    /** A field's value as a tree, within the request's {@link TreeBudget}; null when the field is absent. */
    static JsonNode tree(byte[] json, TopLevelFields.Field field) {
        if (field == null) {
            return null;
        }
        return TreeBudget.tree(json, field.valueStart(), field.valueEnd() - field.valueStart(), field.name());
    }

    private static JsonNode arguments(String json) {
        if (json.isBlank()) {
            return Json.MAPPER.createObjectNode();
        }
        // Not JSON, or not an object (a model's arguments cut short by max_tokens, sent back in the history): no
        // input, since Anthropic's tool_use input must be an object and refusing would end the client's conversation.
        JsonNode node = TreeBudget.parsedOrNull(json);
        return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
    }
}
