package dev.sluice.front.anthropic;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One streaming pass over a Messages request body, where it already sits in memory: reads the
 * top-level fields the pipeline needs, records every top-level field's byte span (for edits and
 * cache keys), and skips everything else without building a tree. It also proves the body is one
 * well-formed JSON object and checks the fields Anthropic requires, with Anthropic's kind of
 * message. Values that go into headers or records are checked here, before anything is forwarded.
 */
public final class BodyInspector {
    /** The location Jackson appends inside some messages, which names its own settings. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: \\d+, column: (\\d+)]");

    private BodyInspector() {
    }

    public static RequestFacts inspect(Operation op, RequestBody body) {
        int length = body.length();
        if (length == 0) {
            throw ApiError.invalidRequest("Request body is empty (expected: a JSON object)");
        }
        try (JsonParser p = Json.FACTORY.createParser(body.array(), 0, length)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.invalidRequest("Request body must be a JSON object");
            }
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                int keyStart = (int) p.currentTokenLocation().getByteOffset();
                String name = p.currentName();
                JsonToken value = p.nextToken();
                int valueStart = (int) p.currentTokenLocation().getByteOffset();
                switch (name) {
                    case "model" -> f.model(p, value);
                    case "stream" -> f.stream = bool(p, value, "stream");
                    case "max_tokens" -> f.maxTokens = integer(p, value, "max_tokens");
                    case "messages" -> f.messages(p, value);
                    case "metadata" -> f.metadata(p, value);
                    default -> p.skipChildren();
                }
                f.spans.add(new RequestFacts.Field(name, keyStart, valueStart, (int) p.currentLocation().getByteOffset()));
            }
            if (p.nextToken() != null) {
                throw ApiError.invalidRequest("Request body has content after the JSON object");
            }
            return f.toFacts(op, length);
        } catch (StreamConstraintsException e) {
            throw ApiError.invalidRequest("Request body is too deeply nested (expected: at most " + Json.MAX_DEPTH + " levels)");
        } catch (JsonParseException e) {
            throw ApiError.invalidRequest("Request body is not valid JSON: " + clean(e.getOriginalMessage())
                    + " at byte " + e.getLocation().getByteOffset());
        } catch (JsonProcessingException e) {
            throw ApiError.invalidRequest("Request body could not be read: " + clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiError.invalidRequest("Request body could not be read: " + e.getMessage());
        }
    }

    /** Jackson's message without its parser-internal location text ({@code [Source: REDACTED (...); line: 1, column: 40]}). */
    private static String clean(String message) {
        return Bounded.text(SOURCE_LOCATION.matcher(message).replaceAll("column $1"), 300);
    }

    private static boolean bool(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
            return t == JsonToken.VALUE_TRUE;
        }
        p.skipChildren();
        throw ApiError.invalidRequest(field + ": Input should be a valid boolean");
    }

    private static long integer(JsonParser p, JsonToken t, String field) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                throw ApiError.invalidRequest(field + ": Input should be a valid integer (" + Bounded.text(p.getText(), 40)
                        + " is out of range)");
            }
            return p.getLongValue();
        }
        p.skipChildren();
        throw ApiError.invalidRequest(field + ": Input should be a valid integer");
    }

    /** The fields found so far. */
    private static final class Fields {
        final List<RequestFacts.Field> spans = new ArrayList<>(16);
        String model;
        boolean stream;
        long maxTokens = -1;
        int messageCount = -1;
        String userId;

        void model(JsonParser p, JsonToken t) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                throw ApiError.invalidRequest("model: Input should be a valid string");
            }
            String m = p.getText();
            if (m.length() > Bounded.MODEL) {
                throw ApiError.invalidRequest("model: String should have at most " + Bounded.MODEL + " characters");
            }
            if (m.isEmpty() || Bounded.hasControl(m)) {
                throw ApiError.invalidRequest("model: must be a non-empty model name without control characters");
            }
            model = m;
        }

        void messages(JsonParser p, JsonToken t) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                p.skipChildren();
                throw ApiError.invalidRequest("messages: Input should be a valid list");
            }
            int n = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
                n++;
            }
            messageCount = n;
        }

        void metadata(JsonParser p, JsonToken t) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("user_id".equals(name) && v == JsonToken.VALUE_STRING) {
                    userId = Bounded.text(p.getText(), Bounded.METADATA_USER_ID);
                } else {
                    p.skipChildren();
                }
            }
        }

        RequestFacts toFacts(Operation op, int size) {
            if (model == null) {
                throw ApiError.invalidRequest("model: Field required");
            }
            if (messageCount < 0) {
                throw ApiError.invalidRequest("messages: Field required");
            }
            if (op == Operation.MESSAGES && maxTokens < 0) {
                throw ApiError.invalidRequest("max_tokens: Field required");
            }
            return new RequestFacts(model, stream, maxTokens, messageCount, userId, size, List.copyOf(spans));
        }
    }
}
