package dev.sluice.provider.vertex;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.sluice.translate.AnthropicDecoder;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.translate.CloudErrors;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Vertex's answers in canonical form. Claude on Vertex streams ordinary Anthropic SSE and answers ordinary
 * Anthropic JSON, so those pass through the {@link AnthropicDecoder} byte for byte. Errors come in two
 * shapes: the model's own Anthropic envelope (relayed, its message scrubbed of project details), or Google's
 * {@code {"error":{"code","message","status"}}} from the platform (mapped by {@code status} to Anthropic's
 * type, the message scrubbed, since Google's messages routinely name the project).
 */
public final class VertexDecoder implements UpstreamDecoder {
    static final String PROVIDER = "Vertex AI";

    private final AnthropicDecoder delegate = new AnthropicDecoder();
    private String errorType;
    /** The type of the stream's last error event as mapped here (the delegate cannot read Google's shape). */
    private String streamErrorType;

    /**
     * Passes the stream through, except an {@code error} event: its message is scrubbed as an error body's is, and
     * Google's own shape ({@code {"error":{"code","message","status"}}}, which the platform sends in the stream as in a
     * body) becomes Anthropic's envelope, its type from the status: relayed as it came, the client's SDK could not read
     * it, and as the first event it reached the client as an HTTP 500.
     */
    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
        int from = out.size();
        delegate.chunk(chunk, out);
        for (int i = from; i < out.size(); i++) {
            if ("error".equals(out.get(i).type())) {
                out.set(i, scrubbed(out.get(i)));
            }
        }
    }

    /** An in-stream error event in Anthropic's envelope, with a message a client may see. */
    private SseEvent scrubbed(SseEvent e) {
        byte[] data = java.util.Arrays.copyOfRange(e.raw(), e.dataStart(), e.dataStart() + e.dataLength());
        String[] typeAndMessage = read(data, 500);
        streamErrorType = typeAndMessage[0];
        String message = CloudErrors.clientMessage(PROVIDER, typeAndMessage[0], typeAndMessage[1]);
        if (message.equals(typeAndMessage[1]) && typeAndMessage[2] != null) {
            return e; // Anthropic's envelope with nothing to hide: the upstream's bytes pass as they came
        }
        JsonStringEncoder json = JsonStringEncoder.getInstance();
        return CanonicalEvents.of("error", "{\"type\":\"error\",\"error\":{\"type\":\""
                + new String(json.quoteAsString(typeAndMessage[0])) + "\",\"message\":\"" + new String(json.quoteAsString(message)) + "\"}}");
    }

    @Override
    public void end(List<SseEvent> out) {
        delegate.end(out);
    }

    @Override
    public Buffer body(int status, Buffer body) {
        if (status < 300) {
            return delegate.body(status, body);
        }
        String[] typeAndMessage = read(body.getBytes(), status);
        String message = CloudErrors.clientMessage(PROVIDER, typeAndMessage[0], typeAndMessage[1]);
        String type = CloudErrors.promptTooLong(typeAndMessage[1]) ? "invalid_request_error" : typeAndMessage[0];
        errorType = type;
        Buffer canonical = Buffer.buffer(("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\""
                + new String(JsonStringEncoder.getInstance().quoteAsString(message))
                + "\"}}").getBytes(StandardCharsets.UTF_8));
        return delegate.body(status, canonical);
    }

    /** Google's 503 (UNAVAILABLE) is Anthropic's 529, so clients and the retry plan treat it as overload. */
    @Override
    public int clientStatus(int upstreamStatus) {
        if (upstreamStatus < 300 || errorType == null) {
            return upstreamStatus;
        }
        return switch (errorType) {
            case "overloaded_error" -> 529;
            case "timeout_error" -> 504;
            default -> upstreamStatus;
        };
    }

    @Override
    public UsageReport report() {
        UsageReport r = delegate.report();
        return new UsageReport() {
            @Override
            public dev.sluice.wire.Usage usage() {
                return r.usage();
            }

            @Override
            public boolean estimated() {
                return r.estimated();
            }

            @Override
            public String servedModel() {
                return r.servedModel();
            }

            @Override
            public String errorType() {
                return streamErrorType != null ? streamErrorType : r.errorType();
            }

            @Override
            public boolean complete() {
                return r.complete();
            }
        };
    }

    /**
     * [Anthropic type, message, "anthropic" when the body named the type itself else null] of either error shape; the
     * status decides when the body says nothing usable.
     */
    static String[] read(byte[] body, int status) {
        String type = null;
        String message = null;
        String googleStatus = null;
        try (JsonParser p = Json.FACTORY.createParser(body)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                first = p.nextToken(); // Google sometimes wraps the error in a one-element array
            }
            if (first == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (p.nextToken() == JsonToken.START_OBJECT && name.equals("error")) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String inner = p.currentName();
                            JsonToken v = p.nextToken();
                            if (v == JsonToken.VALUE_STRING) {
                                switch (inner) {
                                    case "type" -> type = p.getText();
                                    case "message" -> message = p.getText();
                                    case "status" -> googleStatus = p.getText();
                                    default -> { }
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // an HTML page from a proxy: the status decides
        }
        String given = type == null ? null : "anthropic";
        if (type == null) {
            type = googleStatus != null ? fromGoogleStatus(googleStatus, status) : CloudErrors.typeForStatus(status);
        }
        return new String[] {type, message, given};
    }

    static String fromGoogleStatus(String googleStatus, int status) {
        return switch (googleStatus) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> "invalid_request_error";
            case "UNAUTHENTICATED" -> "authentication_error";
            case "PERMISSION_DENIED" -> "permission_error";
            case "NOT_FOUND" -> "not_found_error";
            case "RESOURCE_EXHAUSTED" -> "rate_limit_error";
            case "UNAVAILABLE" -> "overloaded_error";
            case "DEADLINE_EXCEEDED" -> "timeout_error";
            default -> CloudErrors.typeForStatus(status);
        };
    }
}
