package dev.sluice.front.anthropic;

import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.JsonCursor;
import dev.sluice.wire.JsonCursor.JsonError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One pass over a Messages request body, where it already sits in memory: reads the top-level fields
 * the pipeline needs, records every top-level field's byte span (for edits and cache keys), and
 * validates everything else without building anything ({@link JsonCursor}). It proves the body is one
 * well-formed JSON object (grammar, escapes, UTF-8, nesting depth) and checks the fields Anthropic
 * requires, with Anthropic's kind of message. Values that go into headers or records are checked
 * here, before anything is forwarded.
 */
public final class BodyInspector {
    private BodyInspector() {
    }

    public static RequestFacts inspect(Operation op, RequestBody body) {
        int length = body.length();
        if (length == 0) {
            throw ApiError.invalidRequest("Request body is empty (expected: a JSON object)");
        }
        JsonCursor in = new JsonCursor(body.array(), 0, length, Json.MAX_DEPTH);
        try {
            if (in.peek() != '{') {
                throw ApiError.invalidRequest(in.peek() == -1 ? "Request body must be a JSON object (it is blank)"
                        : "Request body must be a JSON object");
            }
            in.enter('{');
            Fields f = new Fields();
            if (!in.consume('}')) {
                do {
                    f.field(in);
                } while (in.consume(','));
                in.expect('}', "',' or '}' after a field");
            }
            int c = in.peek();
            if (c != -1) {
                if (c == '{' || c == '[' || c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
                    throw ApiError.invalidRequest("Request body has content after the JSON object");
                }
                throw in.unexpected("the end of the body");
            }
            return f.toFacts(op, length);
        } catch (JsonError e) {
            String what = e.getMessage().contains("nested deeper") ? "Request body is too deeply nested" : "Request body is not valid JSON";
            throw ApiError.invalidRequest(what + ": " + e.getMessage() + " at byte " + e.offset());
        }
    }

    /** The fields found so far. */
    private static final class Fields {
        /** Up to this many fields, a repeated name is looked for by walking them; past it, in a set. */
        private static final int LINEAR_SEARCH = 16;
        final List<RequestFacts.Field> spans = new ArrayList<>(16);
        Set<String> seen;
        List<RequestFacts.Span> messageSpans = List.of();
        String model;
        boolean stream;
        long maxTokens = -1;
        boolean maxTokensGiven;
        int messageCount = -1;
        String userId;

        void field(JsonCursor in) {
            if (in.peek() != '"') {
                throw in.unexpected("a field name in double quotes");
            }
            int keyStart = in.pos();
            boolean escaped = in.skipString();
            String name = in.text(keyStart, in.pos(), escaped);
            once(name);
            in.expect(':', "':' after a field name");
            in.peek();
            int valueStart = in.pos();
            switch (name) {
                case "model" -> model(in);
                case "stream" -> stream = bool(in, "stream");
                case "max_tokens" -> {
                    maxTokens = integer(in, "max_tokens");
                    maxTokensGiven = true;
                }
                case "messages" -> messages(in);
                case "metadata" -> metadata(in);
                default -> in.skipValue();
            }
            spans.add(new RequestFacts.Field(name, keyStart, valueStart, in.pos()));
        }

        /**
         * Refuses a field given twice. Parsers disagree on which copy counts (the first, the last), so a
         * body with two {@code model} or {@code stream} fields could be priced, routed and checked as one
         * request and served upstream as another. Nothing legitimate sends them.
         */
        void once(String name) {
            if (seen == null && spans.size() >= LINEAR_SEARCH) {
                seen = new HashSet<>();
                for (RequestFacts.Field f : spans) {
                    seen.add(f.name());
                }
            }
            if (seen != null ? !seen.add(name) : named(name)) {
                throw ApiError.invalidRequest("Request body has the field '" + Bounded.text(name, 64)
                        + "' twice (expected: each field once)");
            }
        }

        private boolean named(String name) {
            for (RequestFacts.Field f : spans) {
                if (f.name().equals(name)) {
                    return true;
                }
            }
            return false;
        }

        void model(JsonCursor in) {
            if (in.peek() != '"') {
                in.skipValue();
                throw ApiError.invalidRequest("model: Input should be a valid string");
            }
            int start = in.pos();
            boolean escaped = in.skipString();
            if (in.pos() - start - 2 > Bounded.MODEL * 6) {
                throw ApiError.invalidRequest("model: String should have at most " + Bounded.MODEL + " characters");
            }
            String m = in.text(start, in.pos(), escaped);
            if (m.length() > Bounded.MODEL) {
                throw ApiError.invalidRequest("model: String should have at most " + Bounded.MODEL + " characters");
            }
            if (!Bounded.isModelName(m)) {
                throw ApiError.invalidRequest("model: must be a model name (printable ASCII letters, digits and punctuation,"
                        + " no spaces), such as claude-sonnet-4-5");
            }
            model = m;
        }

        void messages(JsonCursor in) {
            if (in.peek() != '[') {
                in.skipValue();
                throw ApiError.invalidRequest("messages: Input should be a valid list");
            }
            in.enter('[');
            List<RequestFacts.Span> found = new ArrayList<>(32);
            if (!in.consume(']')) {
                do {
                    in.peek();
                    int start = in.pos();
                    found.add(new RequestFacts.Span(start, in.skipValue()));
                } while (in.consume(','));
                in.expect(']', "',' or ']' in messages");
            }
            messageCount = found.size();
            messageSpans = found;
        }

        void metadata(JsonCursor in) {
            if (in.peek() != '{') {
                in.skipValue();
                return;
            }
            in.enter('{');
            if (in.consume('}')) {
                return;
            }
            do {
                if (in.peek() != '"') {
                    throw in.unexpected("a field name in double quotes");
                }
                int keyStart = in.pos();
                boolean escaped = in.skipString();
                String name = in.text(keyStart, in.pos(), escaped);
                in.expect(':', "':' after a field name");
                if ("user_id".equals(name) && userId != null) {
                    throw ApiError.invalidRequest("metadata: has the field 'user_id' twice (expected: each field once)");
                }
                if ("user_id".equals(name) && in.peek() == '"') {
                    int start = in.pos();
                    boolean e = in.skipString();
                    userId = Bounded.text(in.text(start, in.pos(), e), Bounded.METADATA_USER_ID);
                } else {
                    in.skipValue();
                }
            } while (in.consume(','));
            in.expect('}', "',' or '}' in metadata");
        }

        RequestFacts toFacts(Operation op, int size) {
            if (model == null) {
                throw ApiError.invalidRequest("model: Field required");
            }
            if (messageCount < 0) {
                throw ApiError.invalidRequest("messages: Field required");
            }
            if (op == Operation.MESSAGES && !maxTokensGiven) {
                throw ApiError.invalidRequest("max_tokens: Field required");
            }
            if (op == Operation.MESSAGES && maxTokens < 1) {
                throw ApiError.invalidRequest("max_tokens: Input should be greater than or equal to 1 (got " + maxTokens + ")");
            }
            return new RequestFacts(model, stream, maxTokens, messageCount, userId, size, List.copyOf(spans),
                    List.copyOf(messageSpans));
        }
    }

    private static boolean bool(JsonCursor in, String field) {
        int c = in.peek();
        in.skipValue();
        if (c == 't' || c == 'f') {
            return c == 't';
        }
        throw ApiError.invalidRequest(field + ": Input should be a valid boolean");
    }

    private static long integer(JsonCursor in, String field) {
        int c = in.peek();
        if (c != '-' && (c < '0' || c > '9')) {
            in.skipValue();
            throw ApiError.invalidRequest(field + ": Input should be a valid integer");
        }
        int start = in.pos();
        boolean integer = in.skipNumber();
        if (!integer) {
            throw ApiError.invalidRequest(field + ": Input should be a valid integer");
        }
        String digits = in.ascii(start, in.pos());
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw ApiError.invalidRequest(field + ": Input should be a valid integer (" + Bounded.text(digits, 40)
                    + " is out of range)");
        }
    }
}
