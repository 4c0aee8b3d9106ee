package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.front.openai.OpenAiEncoder;
import dev.sluice.front.openai.OpenAiErrorBody;
import dev.sluice.wire.SseFramer;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * OpenAI's bytes: {@code chat.completion.chunk} SSE (tool-call arguments in pieces by index, the usage chunk
 * when {@code stream_options.include_usage} asked, {@code data: [DONE]}), {@code chat.completion} bodies and
 * OpenAI's error envelope. The planned Anthropic events are written through the gateway's own OpenAI encoder,
 * which the openai-java SDK's tests hold to OpenAI's format. One per answer.
 */
final class OpenAiWire implements SimWire {
    private final OpenAiEncoder encoder;

    OpenAiWire(String model, boolean includeUsage) {
        this.encoder = new OpenAiEncoder(model, includeUsage, System.currentTimeMillis() / 1000);
    }

    @Override
    public void successHeaders(SimExchange exchange, boolean stream) {
        exchange.response().putHeader("content-type", stream ? "text/event-stream; charset=utf-8" : "application/json")
                .putHeader("x-request-id", exchange.requestId()).putHeader("openai-processing-ms", "1");
    }

    @Override
    public Buffer frame(SseEvent event) {
        return encoder.events(List.of(SseFramer.parse(event.frame().getBytes(UTF_8))));
    }

    @Override
    public Buffer errorEvent(String requestId) {
        return Buffer.buffer("data: " + OpenAiErrorBody.json("server_error",
                "The server had an error while processing your request. Sorry about that!") + "\n\n");
    }

    @Override
    public byte[] body(ObjectNode message) {
        return encoder.body(200, Buffer.buffer(SimJson.bytes(message))).getBytes();
    }

    /** OpenAI's context-length error, in its words. */
    @Override
    public ApiException fault(ApiException anthropic) {
        if (anthropic.status() == 400) {
            return new ApiException(400, "invalid_request_error", "This model's maximum context length is 128000 tokens. However,"
                    + " your messages resulted in 130517 tokens. Please reduce the length of the messages.");
        }
        return anthropic;
    }

    @Override
    public boolean reject(SimExchange exchange, ApiException error) {
        String type = switch (error.status()) {
            case 401 -> "invalid_request_error";
            case 429 -> "rate_limit_error";
            case 500, 529 -> "server_error";
            default -> "invalid_request_error";
        };
        String code = error.status() == 401 ? "\"invalid_api_key\"" : error.status() == 429 ? "\"rate_limit_exceeded\""
                : error.getMessage().contains("maximum context length") ? "\"context_length_exceeded\""
                : error.getMessage().startsWith("Unsupported parameter") ? "\"unsupported_parameter\"" : "null";
        exchange.response().setStatusCode(error.status() == 529 ? 503 : error.status())
                .putHeader("content-type", "application/json").putHeader("x-request-id", exchange.requestId())
                .end(Buffer.buffer("{\"error\":{\"message\":" + SimJson.quote(error.getMessage()) + ",\"type\":\"" + type
                        + "\",\"param\":null,\"code\":" + code + "}}"));
        return true;
    }
}
