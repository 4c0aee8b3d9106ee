package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.front.openai.TreeBudget;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * A Responses request body read as one JSON tree, within the chat door's bounds: at most
 * {@link TreeBudget#MAX_TOKENS} JSON tokens (a tree costs 60 to 100 bytes of heap per token whatever the token's
 * size, so a body of many tiny values must not build hundreds of megabytes of nodes), the gateway's nesting depth, and
 * every object's fields given once anywhere in the body. Parsers disagree on which copy of a field given twice counts
 * (this reader would take the last, another the first), so the gateway could price, check and cache one request and
 * serve another; a copy is refused with the path where it was found.
 *
 * <p>Why one tree rather than the chat door's byte spans: a Responses body's items are small objects of a few fields
 * whose meaning depends on their {@code type}, and the token bound keeps a whole tree to a few tens of megabytes.
 */
final class RequestTree {
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(64 * 1024 * 1024)
                    .maxNestingDepth(Json.MAX_DEPTH)
                    .maxTokenCount(TreeBudget.MAX_TOKENS)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Tokens this request's trees may still hold: the body's, then each function call's parsed arguments. */
    private long left = TreeBudget.MAX_TOKENS;

    /**
     * The first {@code length} bytes of {@code body} as a tree.
     *
     * @throws ApiError 400 for bytes that are not one JSON value, a field given twice, or a body past the bounds
     */
    JsonNode read(byte[] body, int length) {
        try (JsonParser p = MAPPER.createParser(body, 0, length)) {
            return charged(p);
        } catch (StreamConstraintsException e) {
            if (overBudget(e)) {
                throw tooMany();
            }
            throw ApiError.invalidRequest("request body: not accepted (" + Bounded.text(e.getOriginalMessage(), 120) + ")");
        } catch (JsonParseException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.startsWith("Duplicate field") && e.getProcessor() instanceof JsonParser p) {
                throw ApiError.invalidRequest(path(p.getParsingContext(), duplicate(m)) + ": given twice (expected: each field once)");
            }
            throw ApiError.invalidRequest("request body: not valid JSON (" + Bounded.text(m, 120) + ")");
        } catch (IOException e) {
            throw ApiError.invalidRequest("request body: not valid JSON (" + Bounded.text(e.getMessage(), 120) + ")");
        }
    }

    /**
     * A function call's {@code arguments} string parsed, charged to the same budget (a string of a few bytes on the wire
     * can hold a tree as large as any array); null when it is not JSON.
     *
     * @throws ApiError 400 when the request's trees would pass the budget
     */
    JsonNode parsedOrNull(String text) {
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

    private JsonNode charged(JsonParser p) throws IOException {
        JsonNode node = MAPPER.readTree(p);
        left -= p.currentTokenCount();
        if (left < 0) {
            throw tooMany();
        }
        return node;
    }

    /** Jackson's own cap on one tree ({@code maxTokenCount}), as opposed to another of its limits. */
    private static boolean overBudget(StreamConstraintsException e) {
        return String.valueOf(e.getMessage()).contains("Token count");
    }

    private static ApiError tooMany() {
        return ApiError.invalidRequest("request body: more than " + TreeBudget.MAX_TOKENS + " JSON values (expected: "
                + "a conversation of items with string or few-part contents)");
    }

    /** The field name in Jackson's "Duplicate field 'name'". */
    private static String duplicate(String message) {
        int open = message.indexOf('\'');
        int close = message.lastIndexOf('\'');
        return open >= 0 && close > open ? message.substring(open + 1, close) : "field";
    }

    /** The dotted path ({@code input.3.role}) of {@code name} inside the context the parser stopped in. */
    private static String path(JsonStreamContext context, String name) {
        StringBuilder sb = new StringBuilder(Bounded.text(name, 64));
        for (JsonStreamContext c = context; c != null && c.getParent() != null && !c.getParent().inRoot(); c = c.getParent()) {
            JsonStreamContext parent = c.getParent();
            sb.insert(0, (parent.inArray() ? Integer.toString(parent.getCurrentIndex()) : Bounded.text(parent.getCurrentName(), 64)) + ".");
        }
        return sb.toString();
    }
}
