package dev.sluice.front.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.pipeline.Bounded;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Betas;
import dev.sluice.wire.Json;
import dev.sluice.wire.body.FieldEdits;
import dev.sluice.wire.body.TopLevelFields;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * An InvokeModel body in the canonical form: Bedrock's body is Anthropic's without {@code model} and {@code stream}
 * (the path names both) and with {@code anthropic_version} and {@code anthropic_beta} in it. The top-level fields are
 * found in one validating pass ({@link TopLevelFields}) and changed as {@link RequestBody} edits on a fork of the
 * client's body (so the original stays for the audit): the two Bedrock fields dropped, {@code model} and
 * {@code stream} set; every other byte is the client's. The edited bytes become the canonical body that inspection
 * reads, in which every later stage finds its spans. The betas come back apart, for the {@code anthropic-beta} header
 * the rest of the gateway reads.
 */
final class InvokeRequest {
    private static final Set<String> BEDROCK_FIELDS = Set.of("anthropic_version", "anthropic_beta");
    /** What a count-tokens call's InvokeModel body carries that Anthropic's count_tokens refuses. */
    private static final Set<String> NOT_COUNTED = Set.of("anthropic_version", "anthropic_beta", "max_tokens",
            "temperature", "top_p", "top_k", "stop_sequences", "metadata", "service_tier");

    /** The canonical body and the betas the client's body carried (bounded by {@link Betas#parse}). */
    record Canonical(RequestBody body, List<String> betas) {
    }

    private InvokeRequest() {
    }

    /** An InvokeModel or InvokeModelWithResponseStream body for {@code model}. */
    static Canonical invoke(RequestBody client, String model, boolean stream) {
        return translate(client, model, stream, BEDROCK_FIELDS);
    }

    /**
     * A CountTokens body, {@code {"input":{"invokeModel":{"body":"<base64 of an InvokeModel body>"}}}}, as Anthropic's
     * count_tokens body for {@code model}.
     */
    static Canonical countTokens(RequestBody client, String model) {
        byte[] inner = invokeModelBody(client);
        return translate(RequestBody.of(inner), model, false, NOT_COUNTED);
    }

    private static Canonical translate(RequestBody client, String model, boolean stream, Set<String> dropped) {
        if (client.length() == 0) {
            throw ApiError.invalidRequest("Request body is empty (expected: a JSON object)");
        }
        TopLevelFields fields;
        try {
            fields = TopLevelFields.scan(client.array(), client.length());
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest(e.getMessage());
        }
        List<String> betas = List.of();
        boolean versionSeen = false;
        boolean betaSeen = false;
        for (TopLevelFields.Field f : fields.fields()) {
            switch (f.name()) {
                case "model", "stream" -> throw ApiError.invalidRequest("extraneous key [" + f.name()
                        + "] is not permitted (Bedrock names the model and streaming in the path)");
                case "anthropic_version" -> {
                    versionSeen = once(versionSeen, f.name());
                    if (client.array()[f.valueStart()] != '"') {
                        throw ApiError.invalidRequest("anthropic_version: expected a string such as \"bedrock-2023-05-31\"");
                    }
                }
                case "anthropic_beta" -> {
                    betaSeen = once(betaSeen, f.name());
                    betas = betas(client.array(), f);
                }
                default -> {
                }
            }
        }
        FieldEdits plan = FieldEdits.dropping(dropped)
                .set("model", "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(model)) + "\"");
        if (stream) {
            plan.set("stream", "true");
        }
        RequestBody work = client.fork();
        plan.applyTo(work, fields, "bedrock door");
        return new Canonical(RequestBody.of(work.bytes().getBytes()), betas);
    }

    private static boolean once(boolean seen, String name) {
        if (seen) {
            throw ApiError.invalidRequest("Request body has the field '" + name + "' twice (expected: each field once)");
        }
        return true;
    }

    /** The {@code anthropic_beta} array's strings. */
    private static List<String> betas(byte[] body, TopLevelFields.Field f) {
        List<String> out = new ArrayList<>();
        try (JsonParser p = Json.FACTORY.createParser(body, f.valueStart(), f.valueEnd() - f.valueStart())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw ApiError.invalidRequest("anthropic_beta: expected an array of strings");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_STRING) {
                    throw ApiError.invalidRequest("anthropic_beta: expected an array of strings");
                }
                out.add(headerSafe(p.getText()));
                if (out.size() > 64) {
                    break; // Betas.parse names the bound
                }
            }
        } catch (IOException e) {
            throw ApiError.invalidRequest("anthropic_beta: expected an array of strings");
        }
        return Betas.parse(out);
    }

    /**
     * A body beta as the {@code anthropic-beta} header will carry it: printable ASCII only. A JSON string can hold a
     * control character or any Unicode, which no header value can (the HTTP layer refused it as the header was set: a
     * 500 for the caller's mistake), and a beta name is ASCII.
     */
    private static String headerSafe(String beta) {
        for (int i = 0; i < beta.length(); i++) {
            char c = beta.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw ApiError.invalidRequest("anthropic_beta: " + Bounded.text(beta, 128) + " is not a beta name (expected"
                        + " printable ASCII, such as \"interleaved-thinking-2025-05-14\")");
            }
        }
        return beta;
    }

    /** The decoded {@code input.invokeModel.body} of a CountTokens body. */
    private static byte[] invokeModelBody(RequestBody client) {
        String b64 = null;
        try (JsonParser p = Json.FACTORY.createParser(client.array(), 0, client.length())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw ApiError.invalidRequest("Request body must be a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("input") && v == JsonToken.START_OBJECT) {
                    b64 = input(p);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw ApiError.invalidRequest("Request body is not valid JSON: " + Bounded.text(String.valueOf(e.getMessage()), 200));
        }
        if (b64 == null) {
            throw ApiError.invalidRequest("input.invokeModel.body: Field required (this gateway counts InvokeModel"
                    + " bodies, not Converse ones)");
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw ApiError.invalidRequest("input.invokeModel.body: not valid base64 (" + Bounded.text(e.getMessage(), 100) + ")");
        }
    }

    private static String input(JsonParser p) throws IOException {
        String b64 = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (name.equals("invokeModel") && v == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String inner = p.currentName();
                    JsonToken iv = p.nextToken();
                    if (inner.equals("body") && iv == JsonToken.VALUE_STRING) {
                        b64 = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return b64;
    }
}
