package dev.sluice.front.openai;

import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.openai.JsonSpans;
import dev.sluice.wire.body.TopLevelFields;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Where automatic prompt-cache breakpoints go in a canonical body the OpenAI door translated, when its client marked
 * none: the places a coding agent's prompt stays the same from one turn to the next.
 *
 * <pre>
 *  cache order:  [tools ........ T] [system ..... S] [messages: u1 a1 u2 a2 ... u(N-1) ..U2] a(N-1) [uN ..U1]
 *  T  end of the tools          stable for a whole session (Cursor, Aider, Codex send the same tools every turn)
 *  S  end of the system prompt  stable while the working directory, date and rules are
 *  U1 end of the newest user turn: this request writes the conversation so far
 *  U2 end of the user turn before it: what the previous request wrote at its U1, so this one reads it even when
 *     more than 20 blocks (a tool loop's calls and results) came since, past the provider's look-back from U1
 * </pre>
 *
 * A place whose prefix (everything before it in cache order) is estimated below the model's minimum cacheable length
 * is left unmarked, so a small request pays no cache-write premium. The estimate is the prefix's canonical JSON bytes
 * over four: no tokenizer on the request path; JSON punctuation and escapes roughly offset code's denser tokens.
 * At most four places (Anthropic's limit), and none when the body already carries a {@code cache_control} anywhere a
 * translation puts one (the client's own markers decide alone).
 *
 * <p>Cost: one pass over the body's bytes for {@code "cache_control"} ({@link MarkerScan}); when it is absent, as in
 * nearly every request, the places are read off the ends of the arrays the translation wrote ({@code tools},
 * {@code system}, the newest user turns' {@code content}), with the message spans inspection already found, never
 * walking the conversation. When it is present, or a message is not shaped as the translation writes them, one walk of
 * the block structure decides ({@link TopLevelFields#readValid} skips values without checking them again: the body was
 * written by the translation, so it is valid JSON).
 */
final class BreakpointPlacement {
    /** Bytes per token of the size estimate. */
    static final int BYTES_PER_TOKEN = 4;
    private static final int[] NONE = new int[0];
    /** {@link #lastBlockEnd}: a block of the array already carries a marker. */
    private static final int MARKED = -2;
    private static final byte[] USER = bytes("\"user\"");
    private static final byte[] EMPTY = bytes("\"\"");
    private static final byte[] TEXT = bytes("\"text\"");
    private static final byte[] USER_TURN = bytes("{\"role\":\"user\",\"content\":[");
    private static final byte[] ASSISTANT_TURN = bytes("{\"role\":\"assistant\",\"content\":[");
    private static final byte[] EMPTY_TEXT_END = bytes("\"text\":\"\"");

    private BreakpointPlacement() {
    }

    /**
     * Offsets of the closing braces of the blocks to mark, ascending; empty when none should be.
     *
     * @param json      the canonical body
     * @param facts     its facts (the spans of {@code tools}, {@code system}, {@code messages} and of each message)
     * @param minTokens the model's minimum cacheable prefix
     * @param userTurns how many of the newest user turns to mark, 0 to 2
     */
    static int[] places(byte[] json, RequestFacts facts, int minTokens, int userTurns) {
        if (MarkerScan.mayContain(json, facts.bodyBytes())) {
            return walked(json, facts, minTokens, userTurns);
        }
        int[] users = newestUserTurns(json, facts);
        if (users == null) {
            return walked(json, facts, minTokens, userTurns);
        }
        TopLevelFields.Field tools = field(facts, "tools");
        TopLevelFields.Field system = field(facts, "system");
        return pick(tools, lastObject(json, tools), system, lastObject(json, system), field(facts, "messages"), users,
                minTokens, userTurns);
    }

    /** The places found by walking every block: for a body that may hold a client's marker. */
    static int[] walked(byte[] json, RequestFacts facts, int minTokens, int userTurns) {
        TopLevelFields.Field tools = field(facts, "tools");
        TopLevelFields.Field system = field(facts, "system");
        TopLevelFields.Field messages = field(facts, "messages");
        int toolsEnd = lastBlockEnd(json, tools, true);
        int systemEnd = lastBlockEnd(json, system, true);
        if (toolsEnd == MARKED || systemEnd == MARKED) {
            return NONE;
        }
        int[] users = {-1, -1};
        if (messages != null && json[messages.valueStart()] == '[') {
            for (TopLevelFields turn : JsonSpans.objects(json, messages)) {
                int end = turn == null ? -1 : lastBlockEnd(json, turn.find("content"), false);
                if (end == MARKED) {
                    return NONE;
                }
                if (turn != null && JsonSpans.is(json, turn.find("role"), USER)) {
                    users[0] = users[1];
                    users[1] = end;
                }
            }
        }
        return pick(tools, toolsEnd, system, systemEnd, messages, users, minTokens, userTurns);
    }

    /** The candidates whose prefix reaches the minimum, at most four, in byte order. */
    private static int[] pick(TopLevelFields.Field tools, int toolsEnd, TopLevelFields.Field system, int systemEnd,
                              TopLevelFields.Field messages, int[] users, int minTokens, int userTurns) {
        long minBytes = (long) minTokens * BYTES_PER_TOKEN;
        int[] out = new int[4];
        int n = 0;
        // Cache order is tools, system, messages, whatever the order in the JSON.
        long before = length(tools);
        if (toolsEnd >= 0 && before >= minBytes) {
            out[n++] = toolsEnd;
        }
        before += length(system);
        if (systemEnd >= 0 && before >= minBytes) {
            out[n++] = systemEnd;
        }
        for (int k = Math.min(userTurns, 2); k > 0; k--) {
            int at = users[2 - k]; // the older first, so the places stay in cache order
            if (at >= 0 && messages != null && before + (at - messages.valueStart()) >= minBytes) {
                out[n++] = at;
            }
        }
        int[] places = Arrays.copyOf(out, n);
        Arrays.sort(places); // tools follow messages in the JSON: edits are made in byte order
        return places;
    }

    /**
     * The closing braces of the last blocks of the two newest user turns ({older, newer}; -1 where there is none or it
     * cannot carry a marker), read from the ends of their spans; null when a message is not shaped
     * {@code {"role":..,"content":[..]}} as the translation writes them.
     */
    private static int[] newestUserTurns(byte[] json, RequestFacts facts) {
        int[] users = {-1, -1};
        int found = 0;
        List<RequestFacts.Span> spans = facts.messages();
        for (int i = spans.size() - 1; i >= 0 && found < 2; i--) {
            RequestFacts.Span m = spans.get(i);
            boolean user = startsWith(json, m.start(), USER_TURN);
            int close = m.end() - 1;
            if ((!user && !startsWith(json, m.start(), ASSISTANT_TURN)) || json[close] != '}' || json[close - 1] != ']') {
                return null;
            }
            if (user) {
                int last = close - 2;
                users[1 - found++] = json[last] == '}' && !endsWith(json, last, EMPTY_TEXT_END) ? last : -1;
            }
        }
        return users;
    }

    /**
     * The closing brace of the array's last block when it can carry a marker (-1 when it cannot, or there is none);
     * {@link #MARKED} when any block already has a {@code cache_control} (for message contents, also inside a
     * {@code tool_result}'s content).
     */
    private static int lastBlockEnd(byte[] json, TopLevelFields.Field array, boolean topLevel) {
        if (array == null || json[array.valueStart()] != '[') {
            return -1;
        }
        TopLevelFields last = null;
        for (TopLevelFields block : JsonSpans.objects(json, array)) {
            if (block == null) {
                last = null;
                continue;
            }
            if (block.find("cache_control") != null) {
                return MARKED;
            }
            TopLevelFields.Field inner = topLevel ? null : block.find("content");
            if (inner != null && lastBlockEnd(json, inner, true) == MARKED) {
                return MARKED;
            }
            last = block;
        }
        if (last == null || (JsonSpans.is(json, last.find("type"), TEXT) && JsonSpans.is(json, last.find("text"), EMPTY))) {
            return -1; // the API refuses cache_control on an empty text block
        }
        return last.objectEnd();
    }

    /** The closing brace of an array's last element when it is an object that can carry a marker, else -1. */
    private static int lastObject(byte[] json, TopLevelFields.Field array) {
        if (array == null || json[array.valueStart()] != '[') {
            return -1;
        }
        int last = array.valueEnd() - 2;
        while (last > array.valueStart() && (json[last] == ' ' || json[last] == '\n' || json[last] == '\r' || json[last] == '\t')) {
            last--;
        }
        return json[last] == '}' && !endsWith(json, last, EMPTY_TEXT_END) ? last : -1;
    }

    private static boolean startsWith(byte[] json, int at, byte[] prefix) {
        return at + prefix.length <= json.length && Arrays.equals(json, at, at + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean endsWith(byte[] json, int end, byte[] suffix) {
        return end >= suffix.length && Arrays.equals(json, end - suffix.length, end, suffix, 0, suffix.length);
    }

    private static long length(TopLevelFields.Field f) {
        return f == null ? 0 : f.valueEnd() - f.valueStart();
    }

    private static TopLevelFields.Field field(RequestFacts facts, String name) {
        RequestFacts.Field f = facts.field(name);
        return f == null ? null : new TopLevelFields.Field(f.name(), f.keyStart(), f.valueStart(), f.valueEnd(), f.valueEnd());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
