package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * A Responses request's {@code instructions} and {@code input} as Anthropic's {@code system} and {@code messages}:
 * <ul>
 *   <li>{@code instructions}, then system and developer messages wherever they stand, become {@code system} text
 *       blocks (Anthropic has one system prompt, before the conversation);</li>
 *   <li>a string {@code input} is one user message;</li>
 *   <li>user and assistant messages (with or without {@code "type":"message"}) become turns, their parts as
 *       {@link InputParts} says;</li>
 *   <li>a {@code function_call} item becomes an assistant {@code tool_use} block whose id is its {@code call_id}, and a
 *       {@code function_call_output} a user {@code tool_result} for that id; consecutive turns of one role merge, which
 *       puts a message and the calls after it in one assistant turn and every result in the user turn that follows,
 *       as Anthropic requires; {@link CallPairs} refuses an output without a call waiting for it.</li>
 * </ul>
 * {@code reasoning} items become the thinking blocks they were sealed from, or are dropped, as {@link ReasoningItems}
 * says. An {@code item_reference} (the Vercel AI SDK sends its earlier steps' text and reasoning by id unless told
 * {@code store: false}) is read as the item it names, from the caller's stored answers, as {@link ItemReferences} says;
 * a reference to anything but an item of this caller's is refused. Other items (built-in tool calls) are refused: the
 * gateway produces none, and an item it cannot carry would change the conversation unseen.
 */
final class InputItems {
    /** A turn being built: its role and content blocks. */
    private record Turn(String role, ArrayNode blocks) {
    }

    /** What the translation writes. */
    record Canonical(ArrayNode system, ArrayNode messages) {
    }

    private InputItems() {
    }

    /** @param thinking the request enables thinking: reasoning items become thinking blocks, else they are dropped */
    static Canonical read(JsonNode instructions, JsonNode input, RequestTree trees, boolean thinking) {
        return read(instructions, input, trees, thinking, ItemReferences.NONE);
    }

    /** @param references resolves {@code item_reference} items to the items they name */
    static Canonical read(JsonNode instructions, JsonNode input, RequestTree trees, boolean thinking, ItemReferences references) {
        ArrayNode system = Json.MAPPER.createArrayNode();
        if (instructions != null && !instructions.isNull()) {
            ResponsesFields.expect("instructions", instructions, instructions.isTextual(), "a string");
            if (!instructions.asText().isEmpty()) {
                system.add(InputParts.text(instructions.asText()));
            }
        }
        List<Turn> turns = new ArrayList<>();
        if (input == null || input.isNull()) {
            throw ApiError.invalidRequest("input: expected a string or an array of input items");
        }
        if (input.isTextual()) {
            add(turns, "user", InputParts.user(input, "input"));
        } else if (input.isArray()) {
            int i = 0;
            Items items = new Items(system, turns, trees, new CallPairs(), new ReasoningItems(thinking, references.owner()), references);
            for (JsonNode item : input) {
                item(item, "input." + i++, items);
            }
        } else {
            throw ApiError.invalidRequest("input: expected a string or an array of input items, got " + Bounded.text(input.toString(), 40));
        }
        if (turns.isEmpty()) {
            throw ApiError.invalidRequest("input: at least one user or assistant message is required");
        }
        ArrayNode messages = Json.MAPPER.createArrayNode();
        for (Turn t : turns) {
            ObjectNode m = messages.addObject();
            m.put("role", t.role());
            m.set("content", t.blocks());
        }
        return new Canonical(system, messages);
    }

    /** What reading the items builds and consults. */
    private record Items(ArrayNode system, List<Turn> turns, RequestTree trees, CallPairs pairs, ReasoningItems reasoning,
                         ItemReferences references) {
    }

    private static void item(JsonNode item, String where, Items items) {
        item(item, where, items, false);
    }

    /** @param referenced the item came by reference: it was the gateway's own output, and is never a reference itself */
    private static void item(JsonNode item, String where, Items items, boolean referenced) {
        List<Turn> turns = items.turns();
        ReasoningItems reasoning = items.reasoning();
        if (!item.isObject()) {
            throw ApiError.invalidRequest(where + ": expected an input item object, got " + Bounded.text(item.toString(), 40));
        }
        JsonNode typeNode = item.get("type");
        String type = typeNode == null || typeNode.isNull() ? "message" : typeNode.asText("");
        switch (type) {
            case "message" -> message(item, where, items.system(), turns, reasoning);
            case "function_call" -> {
                JsonNode call = functionCall(item, where, items.trees());
                items.pairs().call(call.path("id").asText());
                add(turns, "assistant", reasoning.before(List.of(call)));
            }
            case "function_call_output" -> {
                JsonNode output = functionCallOutput(item, where);
                items.pairs().output(output.path("tool_use_id").asText(), where);
                reasoning.userTurn();
                add(turns, "user", List.of(output));
            }
            case "reasoning" -> reasoning.item(item, where);
            // The Vercel AI SDK sends its earlier steps' text and reasoning by reference unless told store: false.
            case "item_reference" -> {
                if (referenced) {
                    throw new IllegalStateException(where + ": a stored item is a reference"); // only answers' items are stored
                }
                item(items.references().resolve(item, where), where, items, true);
            }
            default -> throw ApiError.invalidRequest(where + ".type: " + Bounded.text(String.valueOf(typeNode), 40)
                    + " is not supported by this gateway (expected: message, function_call, function_call_output or reasoning)");
        }
    }

    private static void message(JsonNode item, String where, ArrayNode system, List<Turn> turns, ReasoningItems reasoning) {
        JsonNode roleNode = item.path("role");
        String role = roleNode.asText("");
        JsonNode content = item.get("content");
        switch (role) {
            case "system", "developer" -> system.addAll(InputParts.textOnly(content, where, "input_text"));
            case "user" -> {
                reasoning.userTurn();
                add(turns, "user", InputParts.user(content, where));
            }
            case "assistant" -> {
                List<JsonNode> text = InputParts.textOnly(content, where, "output_text");
                add(turns, "assistant", text.isEmpty() ? text : reasoning.before(text));
            }
            default -> throw ApiError.invalidRequest(where + ".role: " + Bounded.text(roleNode.toString(), 40)
                    + " is not supported by this gateway (expected: user, assistant, system or developer)");
        }
    }

    private static JsonNode functionCall(JsonNode item, String where, RequestTree trees) {
        String callId = string(item, "call_id", where);
        String name = string(item, "name", where);
        JsonNode namespace = item.get("namespace");
        if (namespace != null && !namespace.isNull()) {
            // A call to one of a namespace's tools, sent back as the answer gave it: the model knows it by the joined name.
            ResponsesFields.expect(where + ".namespace", namespace, namespace.isTextual() && !namespace.asText().isEmpty(),
                    "a non-empty string");
            name = Namespaces.join(namespace.asText(), name);
        }
        // The name the upstream gets for this tool_use: a namespace never offered, with a space or a slash in it, went
        // on as "e v i l__f" and came back as the upstream's 400.
        ResponsesFields.expect(where + (namespace != null && !namespace.isNull() ? ".namespace" : ".name"), item,
                ResponsesTools.isToolName(name), "a tool name of letters, digits, _ or - (at most 64, with its namespace__)");
        JsonNode arguments = item.get("arguments");
        ResponsesFields.expect(where + ".arguments", arguments == null ? item : arguments,
                arguments != null && arguments.isTextual(), "a string of JSON arguments");
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_use").put("id", callId).put("name", name);
        block.set("input", arguments(arguments.asText(), trees));
        return block;
    }

    private static JsonNode functionCallOutput(JsonNode item, String where) {
        ObjectNode block = Json.MAPPER.createObjectNode().put("type", "tool_result").put("tool_use_id", string(item, "call_id", where));
        JsonNode output = item.get("output");
        if (output != null && output.isTextual()) {
            block.put("content", output.asText());
        } else if (output != null && output.isArray()) {
            ArrayNode parts = InputParts.toolResult(output, where + ".output");
            if (!parts.isEmpty()) { // content is optional; an empty array or only empty texts says nothing
                block.set("content", parts);
            }
        } else {
            throw ApiError.invalidRequest(where + ".output: expected a string or an array of input parts, got "
                    + Bounded.text(String.valueOf(output), 40));
        }
        return block;
    }

    /** A required non-empty string field of an item; the call ids become Anthropic tool ids, bounded like any id. */
    private static String string(JsonNode item, String field, String where) {
        JsonNode v = item.get(field);
        boolean ok = v != null && v.isTextual() && !v.asText().isEmpty() && v.asText().length() <= Bounded.ID * 2;
        ResponsesFields.expect(where + "." + field, v == null ? item : v, ok, "a non-empty string of at most " + Bounded.ID * 2 + " characters");
        return v.asText();
    }

    /**
     * A call's arguments as the tool_use input. Not JSON, or not an object (a model's arguments cut short by
     * max_output_tokens, sent back in the history): no input, as at the chat door, since Anthropic's input must be an
     * object and refusing would end the client's conversation.
     */
    private static JsonNode arguments(String json, RequestTree trees) {
        JsonNode node = json.isBlank() ? null : trees.parsedOrNull(json);
        return node != null && node.isObject() ? node : Json.MAPPER.createObjectNode();
    }

    private static void add(List<Turn> turns, String role, List<JsonNode> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        if (turns.isEmpty() || !turns.getLast().role().equals(role)) {
            turns.add(new Turn(role, Json.MAPPER.createArrayNode()));
        }
        turns.getLast().blocks().addAll(blocks);
    }
}
