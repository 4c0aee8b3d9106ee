package dev.sluice.accept;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.sluice.pipeline.Endpoint;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * One streaming pass over a request body: reads the top-level fields the pipeline needs and skips
 * everything else without building a tree, so a 60 KB Claude Code request costs tens of
 * microseconds and the original bytes can be forwarded untouched. It also proves the body is one
 * well-formed JSON object, and checks the fields Anthropic requires, with Anthropic's kind of message.
 */
public final class BodyInspector {
    private static final JsonFactory JSON = JsonFactory.builder()
            // Base64 images and documents make long strings; the body cap bounds them anyway.
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();
    /** The location Jackson appends inside some messages, which names its own settings. */
    private static final Pattern SOURCE_LOCATION = Pattern.compile("\\[Source: .*?; line: \\d+, column: (\\d+)]");

    private BodyInspector() {
    }

    public static RequestFacts inspect(Endpoint endpoint, byte[] body) {
        if (body.length == 0) {
            throw ApiError.invalidRequest("Request body is empty (expected: a JSON object)");
        }
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.invalidRequest("Request body must be a JSON object");
            }
            Fields f = new Fields();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "model" -> f.model(p, value);
                    case "stream" -> f.stream = bool(p, value, "stream");
                    case "max_tokens" -> f.maxTokens = integer(p, value, "max_tokens");
                    case "messages" -> f.messages(p, value);
                    case "metadata" -> f.metadata(p, value);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw ApiError.invalidRequest("Request body has content after the JSON object");
            }
            return f.toFacts(endpoint, body.length);
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
        return SOURCE_LOCATION.matcher(message).replaceAll("column $1");
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
                throw ApiError.invalidRequest(field + ": Input should be a valid integer (" + p.getText() + " is out of range)");
            }
            return p.getLongValue();
        }
        p.skipChildren();
        throw ApiError.invalidRequest(field + ": Input should be a valid integer");
    }

    /** The fields found so far. */
    private static final class Fields {
        String model;
        long modelStart = -1;
        long modelEnd = -1;
        boolean stream;
        long maxTokens = -1;
        int messageCount = -1;
        String userId;

        void model(JsonParser p, JsonToken t) throws IOException {
            if (t != JsonToken.VALUE_STRING) {
                p.skipChildren();
                throw ApiError.invalidRequest("model: Input should be a valid string");
            }
            modelStart = p.currentTokenLocation().getByteOffset();
            model = p.getText();
            modelEnd = p.currentLocation().getByteOffset();
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
                    userId = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }

        RequestFacts toFacts(Endpoint endpoint, int size) {
            if (model == null) {
                throw ApiError.invalidRequest("model: Field required");
            }
            if (messageCount < 0) {
                throw ApiError.invalidRequest("messages: Field required");
            }
            if (endpoint == Endpoint.MESSAGES && maxTokens < 0) {
                throw ApiError.invalidRequest("max_tokens: Field required");
            }
            return new RequestFacts(model, modelStart, modelEnd, stream, maxTokens, messageCount, userId, size);
        }
    }
}
