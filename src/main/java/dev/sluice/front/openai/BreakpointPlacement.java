package dev.sluice.front.openai;

import dev.sluice.pipeline.RequestFacts;
import dev.sluice.provider.bedrock.TopLevelFields;
import dev.sluice.provider.openai.JsonSpans;
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
 * <p>One walk of the body's block structure, nothing decoded but field names: the canonical body was written by the
 * translation, so it is valid JSON and {@link TopLevelFields#readValid} skips values without checking them again.
 */
final class BreakpointPlacement {
    /** Bytes per token of the size estimate. */
    static final int BYTES_PER_TOKEN = 4;
    private static final int[] NONE = new int[0];
    private static final byte[] USER = "\"user\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY = "\"\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT = "\"text\"".getBytes(StandardCharsets.US_ASCII);

    private BreakpointPlacement() {
    }

    /**
     * Offsets of the closing braces of the blocks to mark, ascending; empty when none should be.
     *
     * @param json      the canonical body
     * @param facts     its facts (the byte spans of {@code tools}, {@code system}, {@code messages})
     * @param minTokens the model's minimum cacheable prefix
     * @param userTurns how many of the newest user turns to mark, 0 to 2
     */
    static int[] places(byte[] json, RequestFacts facts, int minTokens, int userTurns) {
        TopLevelFields.Field tools = field(facts, "tools");
        TopLevelFields.Field system = field(facts, "system");
        TopLevelFields.Field messages = field(facts, "messages");
        long minBytes = (long) minTokens * BYTES_PER_TOKEN;
        int[] out = new int[4];
        int n = 0;
        // Cache order is tools, system, messages whatever the order in the JSON.
        long before = 0;
        int end = lastBlockEnd(json, tools, true);
        if (end == MARKED) {
            return NONE;
        }
        before += length(tools);
        if (end >= 0 && before >= minBytes) {
            out[n++] = end;
        }
        end = lastBlockEnd(json, system, true);
        if (end == MARKED) {
            return NONE;
        }
        before += length(system);
        if (end >= 0 && before >= minBytes) {
            out[n++] = end;
        }
        if (messages == null || json[messages.valueStart()] != '[') {
            return sorted(out, n);
        }
        int[] users = new int[2];
        int found = 0;
        List<TopLevelFields> turns = JsonSpans.objects(json, messages);
        for (TopLevelFields turn : turns) {
            end = turn == null ? -1 : lastBlockEnd(json, turn.find("content"), false);
            if (end == MARKED) {
                return NONE;
            }
            if (turn != null && end >= 0 && JsonSpans.is(json, turn.find("role"), USER)) {
                users[0] = users[1];
                users[1] = end;
                found++;
            }
        }
        // The newest user turns, oldest first so the placements stay in cache order.
        for (int k = Math.min(userTurns, Math.min(found, 2)); k > 0; k--) {
            int at = users[2 - k];
            if (before + (at - messages.valueStart()) >= minBytes) {
                out[n++] = at;
            }
        }
        return sorted(out, n);
    }

    private static final int MARKED = -2;

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

    private static long length(TopLevelFields.Field f) {
        return f == null ? 0 : f.valueEnd() - f.valueStart();
    }

    private static TopLevelFields.Field field(RequestFacts facts, String name) {
        RequestFacts.Field f = facts.field(name);
        return f == null ? null : new TopLevelFields.Field(f.name(), f.keyStart(), f.valueStart(), f.valueEnd(), f.valueEnd());
    }

    private static int[] sorted(int[] out, int n) {
        int[] places = Arrays.copyOf(out, n);
        Arrays.sort(places); // tools may follow messages in the JSON: edits are made in byte order
        return places;
    }
}
