package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Bedrock's bytes: {@code application/vnd.amazon.eventstream} frames (prelude, typed headers, payload, CRC32s,
 * encoded by the AWS SDK's codec) each carrying one Anthropic event as base64 {@code bytes} with Bedrock's
 * {@code p} padding; no pings (Bedrock sends none); {@code amazon-bedrock-invocationMetrics} on message_stop;
 * errors as {@code {"message"}} bodies named by {@code x-amzn-ErrorType}, and exception frames mid-stream.
 * One per answer.
 */
final class BedrockWire implements SimWire {
    private static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final boolean stream;
    private final long started = System.nanoTime();
    private long firstByteMillis = -1;
    private int inputTokens;
    private int cacheRead;
    private int cacheWrite;
    private int outputTokens;
    private int frames;

    BedrockWire(boolean stream) {
        this.stream = stream;
    }

    @Override
    public void successHeaders(SimExchange exchange, boolean streaming) {
        exchange.response().putHeader("content-type", streaming ? "application/vnd.amazon.eventstream" : "application/json")
                .putHeader("x-amzn-RequestId", exchange.requestId());
        if (streaming) {
            exchange.response().putHeader("X-Amzn-Bedrock-Content-Type", "application/json");
        } else {
            exchange.response().putHeader("X-Amzn-Bedrock-Input-Token-Count", Integer.toString(inputTokens))
                    .putHeader("X-Amzn-Bedrock-Output-Token-Count", Integer.toString(outputTokens));
        }
    }

    @Override
    public Buffer frame(SseEvent event) {
        if (event.name().equals("ping")) {
            return Buffer.buffer();
        }
        String frame = event.frame();
        String json = frame.substring(frame.indexOf("\ndata: ") + 7, frame.length() - 2);
        outputTokens += event.outputTokens();
        if (event.name().equals("message_start")) {
            usage(json);
        } else if (event.name().equals("message_stop")) {
            json = "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":" + inputTokens
                    + ",\"outputTokenCount\":" + outputTokens + ",\"invocationLatency\":" + (System.nanoTime() - started) / 1_000_000
                    + ",\"firstByteLatency\":" + Math.max(0, firstByteMillis) + ",\"cacheReadInputTokenCount\":" + cacheRead
                    + ",\"cacheWriteInputTokenCount\":" + cacheWrite + "}}";
        }
        if (firstByteMillis < 0) {
            firstByteMillis = (System.nanoTime() - started) / 1_000_000;
        }
        String payload = "{\"bytes\":\"" + Base64.getEncoder().encodeToString(json.getBytes(UTF_8)) + "\",\"p\":\""
                + PADDING.substring(0, 1 + (frames++ * 7) % PADDING.length()) + "\"}";
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":event-type", HeaderValue.fromString("chunk"));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("event"));
        return encode(new Message(h, payload.getBytes(UTF_8)));
    }

    private void usage(String messageStart) {
        try {
            JsonNode u = SimJson.MAPPER.readTree(messageStart).path("message").path("usage");
            inputTokens = u.path("input_tokens").asInt();
            cacheRead = u.path("cache_read_input_tokens").asInt();
            cacheWrite = u.path("cache_creation_input_tokens").asInt();
        } catch (IOException e) {
            throw new IllegalStateException("simulator built a bad message_start", e);
        }
    }

    @Override
    public Buffer errorEvent(String requestId) {
        Map<String, HeaderValue> h = new LinkedHashMap<>();
        h.put(":exception-type", HeaderValue.fromString("serviceUnavailableException"));
        h.put(":content-type", HeaderValue.fromString("application/json"));
        h.put(":message-type", HeaderValue.fromString("exception"));
        return encode(new Message(h, "{\"message\":\"Bedrock is unable to process your request.\"}".getBytes(UTF_8)));
    }

    @Override
    public byte[] body(ObjectNode message) {
        JsonNode u = message.path("usage");
        inputTokens = u.path("input_tokens").asInt();
        outputTokens = u.path("output_tokens").asInt();
        return SimJson.bytes(message);
    }

    /** Bedrock's words: its size error, and an access error that names the account and role, as AWS's do. */
    @Override
    public ApiException fault(ApiException anthropic) {
        return switch (anthropic.status()) {
            case 400 -> new ApiException(400, "ValidationException", "Input is too long for requested model.");
            case 403 -> new ApiException(403, "AccessDeniedException", "User: arn:aws:sts::123456789012:assumed-role/sluice-gateway/i-0abc"
                    + " is not authorized to perform: bedrock:InvokeModel on resource:"
                    + " arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0");
            default -> anthropic;
        };
    }

    @Override
    public boolean reject(SimExchange exchange, ApiException error) {
        String type = awsType(error);
        int status = error.status() == 529 ? 503 : error.status() == 401 ? 403 : error.status();
        exchange.response().setStatusCode(status).putHeader("content-type", "application/json")
                .putHeader("x-amzn-RequestId", exchange.requestId())
                .putHeader("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/")
                .end(Buffer.buffer(SimJson.bytes(SimJson.object().put("message", error.getMessage()))));
        return true;
    }

    /** AWS's exception name for an error: as thrown when it already is one, else by Anthropic type. */
    static String awsType(ApiException error) {
        String t = error.errorType();
        if (t.endsWith("Exception")) {
            return t;
        }
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "invalid_request_error", "request_too_large" -> "ValidationException";
            case "rate_limit_error" -> "ThrottlingException";
            case "overloaded_error" -> "ServiceUnavailableException";
            case "not_found_error" -> "ResourceNotFoundException";
            case "authentication_error", "permission_error" -> "AccessDeniedException";
            default -> "InternalServerException";
        };
    }

    private static Buffer encode(Message m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        m.encode(out);
        return Buffer.buffer(out.toByteArray());
    }

    boolean streaming() {
        return stream;
    }
}
