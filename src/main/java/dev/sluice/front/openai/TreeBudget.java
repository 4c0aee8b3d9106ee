package dev.sluice.front.openai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * The JSON trees one chat-completions translation may build, bounded by the number of JSON tokens they hold.
 *
 * <p>Why: the translation copies string contents as the client's bytes, but it reads content-part arrays,
 * {@code tool_calls}, roles and the small top-level options as trees. A tree costs 60 to 100 bytes of heap per token
 * whatever the token's size, so a body within the 32 MB cap made of many tiny values (300,000 one-letter text parts,
 * 150,000 empty tool calls: 9 to 12 MB) built hundreds of megabytes of nodes and ran the gateway out of heap, taking the
 * ledger writer's allocation down with it. Real clients send a few tokens per message (Cursor's and Codex's arrays of
 * one text part, a tool call of a dozen), so {@link #MAX_TOKENS} over the whole request is far above any real one
 * while keeping what a translation holds to a few tens of megabytes.
 *
 * <p>A translation runs start to end on one thread (an event loop, never interleaved with another), so the count
 * lives in a thread-local that {@link #start()} resets for each request; no signature has to carry it.
 */
public final class TreeBudget {
    /** Tokens (every bracket, field name and value counts one) all of one request's trees may hold. */
    public static final long MAX_TOKENS = 250_000;

    /** Json's limits plus the token cap, so no single tree is ever built past the budget either. */
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNestingDepth(Json.MAX_DEPTH)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .build());
    private static final ThreadLocal<long[]> LEFT = ThreadLocal.withInitial(() -> new long[] {MAX_TOKENS});

    private TreeBudget() {
    }

    /** A new request: the whole budget again. */
    static void start() {
        LEFT.get()[0] = MAX_TOKENS;
    }

    /**
     * The value at {@code [start, start + length)} as a tree, charged to this request's budget.
     *
     * @param name the field, for the error
     * @throws ApiError 400 when the value is not JSON, or when the request's trees would pass the budget
     */
    static JsonNode tree(byte[] json, int start, int length, String name) {
        try (JsonParser p = MAPPER.createParser(json, start, length)) {
            return charged(p);
        } catch (StreamConstraintsException e) {
            throw overBudget(e) ? tooMany() : ApiError.invalidRequest(name + ": not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw ApiError.invalidRequest(name + ": not valid JSON");
        }
    }

    /**
     * A tool call's {@code arguments} string parsed, within the budget (a string of a few bytes on the wire can hold a
     * tree as large as any array); null when it is not JSON, which the caller treats as no arguments.
     *
     * @throws ApiError 400 when the request's trees would pass the budget
     */
    static JsonNode parsedOrNull(String text) {
        try (JsonParser p = MAPPER.createParser(text)) {
            return charged(p);
        } catch (StreamConstraintsException e) {
            if (overBudget(e)) {
                throw tooMany();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The parser's value as a tree, its tokens taken from this request's budget. */
    private static JsonNode charged(JsonParser p) throws IOException {
        JsonNode node = MAPPER.readTree(p);
        long[] left = LEFT.get();
        left[0] -= p.currentTokenCount();
        if (left[0] < 0) {
            throw tooMany();
        }
        return node;
    }

    /** Jackson's own cap on one tree ({@code maxTokenCount}), as opposed to another of its limits. */
    private static boolean overBudget(StreamConstraintsException e) {
        return e.getMessage() != null && e.getMessage().contains("Token count");
    }

    private static ApiError tooMany() {
        return ApiError.invalidRequest("request body: more than " + MAX_TOKENS + " JSON values in content-part arrays, "
                + "tool_calls and options (expected: string contents, or arrays of a few parts per message)");
    }
}
