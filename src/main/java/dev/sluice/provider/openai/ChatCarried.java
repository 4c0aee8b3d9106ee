package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import dev.sluice.wire.JsonCursor;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether a chat body's {@code messages} and {@code tools} say nothing the canonical form leaves out, so they can go
 * to the upstream as the client wrote them: the guard scanned the canonical form, and text it never saw must not reach the model. The
 * front door's translation keeps every message's role, content, tool calls and tool-call id, and all of a user
 * message's parts (it refuses the parts it cannot carry); it leaves out, and so must the direct path:
 * <ul>
 *   <li>other message fields ({@code name}, an assistant's {@code refusal}, {@code function_call}, {@code audio}):
 *       removed here;</li>
 *   <li>non-text parts of system, developer, assistant and tool contents, and tool-call arguments that are not a JSON
 *       object in a string (they become {@code {}}): such a body is not carried, and is translated instead;</li>
 *   <li>a field named twice in one message: the front door read the first, an upstream may read the last; not carried;</li>
 *   <li>tools with fields beyond {@code type} and {@code function}, or functions with fields beyond {@code name},
 *       {@code description}, {@code parameters} and {@code strict}: not carried.</li>
 *   <li>content parts, tool calls and a {@code tool_choice} with fields beyond the ones the translation reads
 *       ({@code {"type":"text","text":"hi","x_note":"<secret>"}}): not carried. The guard scans the canonical form, so
 *       such a field reached an OpenAI upstream unscanned (attack round 16).</li>
 * </ul>
 * One pass of the validating cursor over each array (spans; nothing decoded but names, roles, part types and tool-call
 * arguments).
 */
final class ChatCarried {
    private static final Set<String> KEPT = Set.of("role", "content", "tool_calls", "tool_call_id");
    private static final Set<String> TOOL = Set.of("type", "function");
    private static final Set<String> FUNCTION = Set.of("name", "description", "parameters", "strict");
    private static final byte[] USER = "\"user\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "\"text\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REFUSAL = "\"refusal\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DEVELOPER = "\"developer\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SYSTEM = "\"system\"".getBytes(StandardCharsets.US_ASCII);
    /** The fields of a content part, a tool call and a tool choice the translation reads; any other is not carried. */
    private static final Set<String> PART = Set.of("type", "text", "refusal", "image_url", "input_audio", "file");
    private static final java.util.Map<String, Set<String>> PART_VALUE = java.util.Map.of("image_url", Set.of("url", "detail"),
            "input_audio", Set.of("data", "format"), "file", Set.of("file_data", "file_id", "filename"));
    private static final Set<String> CALL = Set.of("id", "type", "function");
    private static final Set<String> CALL_FUNCTION = Set.of("name", "arguments");
    private static final Set<String> CHOICE = Set.of("type", "function");
    private static final Set<String> CHOICE_FUNCTION = Set.of("name");

    private ChatCarried() {
    }

    /**
     * Adds to {@code body} the edits that leave out what the canonical form does not carry (and, when asked, turn
     * {@code developer} roles into {@code system}); false when the messages cannot be carried as written.
     */
    static boolean messages(RequestBody body, TopLevelFields.Field messages, boolean developerAsSystem) {
        byte[] json = body.array();
        for (TopLevelFields m : objects(json, messages)) {
            if (m == null || hasDuplicate(m)) {
                return false;
            }
            TopLevelFields.Field role = m.find("role");
            TopLevelFields.Field content = m.find("content");
            boolean user = JsonSpans.is(json, role, USER);
            if (!user && content != null && json[content.valueStart()] == '[' && !onlyText(json, content)) {
                return false;
            }
            if (!partsCarried(json, content) || !toolCallsCarried(json, m.find("tool_calls"))) {
                return false;
            }
            Set<String> drop = new HashSet<>();
            for (TopLevelFields.Field f : m.fields()) {
                if (!KEPT.contains(f.name())) {
                    drop.add(f.name());
                }
            }
            if (!drop.isEmpty()) {
                FieldEdits.dropping(drop).applyTo(body, m, "openai: not carried");
            }
            if (developerAsSystem && JsonSpans.is(json, role, DEVELOPER)) {
                body.replace(role.valueStart(), role.valueEnd(), SYSTEM, "openai: developer role as system");
            }
        }
        return true;
    }

    /**
     * The fields of each element of the array at {@code field} (null for an element that is not an object), in one
     * pass of the validating cursor: on escape-dense text (system prompts, tool descriptions) it is about twice as fast
     * as {@link JsonSpans#objects}, which walks the array once and each object again.
     */
    private static List<TopLevelFields> objects(byte[] json, TopLevelFields.Field field) {
        List<TopLevelFields> out = new ArrayList<>();
        if (field == null || json[field.valueStart()] != '[') {
            return out;
        }
        JsonCursor in = new JsonCursor(json, field.valueStart(), field.valueEnd(), Json.MAX_DEPTH);
        in.enter('[');
        if (in.consume(']')) {
            return out;
        }
        do {
            if (in.peek() == '{') {
                out.add(TopLevelFields.read(in, json));
            } else {
                in.skipValue();
                out.add(null);
            }
        } while (in.consume(','));
        return out;
    }

    /**
     * True when every tool has only the fields the translation reads (it refuses tools that are not functions): one
     * pass of the validating cursor, each function's fields read where the tool's walk meets them.
     */
    static boolean tools(byte[] json, TopLevelFields.Field tools) {
        if (tools == null || json[tools.valueStart()] == 'n') {
            return true;
        }
        if (json[tools.valueStart()] != '[') {
            return false;
        }
        JsonCursor in = new JsonCursor(json, tools.valueStart(), tools.valueEnd(), Json.MAX_DEPTH);
        in.enter('[');
        if (in.consume(']')) {
            return true;
        }
        do {
            if (in.peek() != '{') {
                return false;
            }
            in.enter('{');
            Set<String> seen = new HashSet<>(4);
            if (!in.consume('}')) {
                do {
                    if (in.peek() != '"') {
                        return false;
                    }
                    int keyStart = in.pos();
                    boolean escaped = in.skipString();
                    String name = in.text(keyStart, in.pos(), escaped);
                    in.expect(':', "':'");
                    if (!TOOL.contains(name) || !seen.add(name)) {
                        return false;
                    }
                    if (name.equals("function")) {
                        if (in.peek() != '{' || !only(TopLevelFields.read(in, json), FUNCTION)) {
                            return false;
                        }
                    } else {
                        in.skipValue();
                    }
                } while (in.consume(','));
                in.expect('}', "'}'");
            }
        } while (in.consume(','));
        return true;
    }

    private static boolean only(TopLevelFields object, Set<String> names) {
        for (TopLevelFields.Field f : object.fields()) {
            if (!names.contains(f.name())) {
                return false;
            }
        }
        return !hasDuplicate(object);
    }

    private static boolean hasDuplicate(TopLevelFields object) {
        List<TopLevelFields.Field> fields = object.fields();
        if (fields.size() < 2) {
            return false;
        }
        Set<String> seen = new HashSet<>();
        for (TopLevelFields.Field f : fields) {
            if (!seen.add(f.name())) {
                return true;
            }
        }
        return false;
    }

    /** Every part of a content array is a text or refusal part (what the translation joins into text). */
    private static boolean onlyText(byte[] json, TopLevelFields.Field content) {
        for (TopLevelFields part : JsonSpans.objects(json, content)) {
            TopLevelFields.Field type = part == null ? null : part.find("type");
            if (!JsonSpans.is(json, type, TEXT) && !JsonSpans.is(json, type, REFUSAL)) {
                return false;
            }
        }
        return true;
    }

    /** Each tool call's arguments are absent, blank, or a JSON object in a string, as the translation keeps them. */
    private static boolean toolCallsCarried(byte[] json, TopLevelFields.Field calls) {
        if (calls == null || json[calls.valueStart()] == 'n') {
            return true;
        }
        for (TopLevelFields call : JsonSpans.objects(json, calls)) {
            TopLevelFields.Field fn = call == null ? null : call.find("function");
            if (fn == null || json[fn.valueStart()] != '{') {
                return false; // the front door refused this already; never carried as written
            }
            TopLevelFields function = TopLevelFields.readValid(json, fn.valueStart());
            if (!only(call, CALL) || !only(function, CALL_FUNCTION)) {
                return false;
            }
            TopLevelFields.Field args = function.find("arguments");
            if (args != null && !(JsonSpans.isString(json, args) && objectOrBlank(json, args))) {
                return false;
            }
        }
        return true;
    }

    /** Every part of a content array has only the fields the translation reads, and so has its value object. */
    private static boolean partsCarried(byte[] json, TopLevelFields.Field content) {
        if (content == null || json[content.valueStart()] != '[') {
            return true;
        }
        for (TopLevelFields part : JsonSpans.objects(json, content)) {
            if (part == null || !only(part, PART)) {
                return false;
            }
            for (TopLevelFields.Field f : part.fields()) {
                Set<String> inner = PART_VALUE.get(f.name());
                if (inner != null && json[f.valueStart()] == '{' && !only(TopLevelFields.readValid(json, f.valueStart()), inner)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A {@code tool_choice} that is a string, or an object with only the fields the translation reads. */
    static boolean toolChoice(byte[] json, TopLevelFields.Field choice) {
        if (choice == null || json[choice.valueStart()] != '{') {
            return true;
        }
        TopLevelFields object = TopLevelFields.readValid(json, choice.valueStart());
        if (!only(object, CHOICE)) {
            return false;
        }
        TopLevelFields.Field fn = object.find("function");
        return fn == null || json[fn.valueStart()] != '{' || only(TopLevelFields.readValid(json, fn.valueStart()), CHOICE_FUNCTION);
    }

    /** The JSON string at {@code args} holds nothing but whitespace, or exactly one JSON object. */
    private static boolean objectOrBlank(byte[] json, TopLevelFields.Field args) {
        String text;
        try (JsonParser p = Json.FACTORY.createParser(json, args.valueStart(), args.valueEnd() - args.valueStart())) {
            p.nextToken();
            text = p.getText();
        } catch (IOException e) {
            return false;
        }
        if (text.isBlank()) {
            return true;
        }
        try (JsonParser p = Json.FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
