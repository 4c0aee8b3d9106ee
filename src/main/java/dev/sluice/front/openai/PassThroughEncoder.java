package dev.sluice.front.openai;

import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * Answers that are OpenAI's shape already ({@code /v1/embeddings} from an OpenAI-compatible upstream) go out as
 * they came; only errors, which are canonical (Anthropic's envelope) by then, get OpenAI's. The model list is
 * rendered from the canonical list.
 */
final class PassThroughEncoder implements ClientEncoder {
    /** What the canonical body of a 2xx answer is. */
    enum Kind { OPENAI_BODY, MODEL_LIST }

    private final Kind kind;

    PassThroughEncoder(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Buffer events(List<SseEvent> events) {
        return Buffer.buffer(); // neither answer is ever a stream
    }

    @Override
    public Buffer body(int status, Buffer canonical) {
        if (status >= 400) {
            return Buffer.buffer(OpenAiErrorBody.fromAnthropic(canonical.getBytes()));
        }
        if (kind == Kind.OPENAI_BODY) {
            return canonical;
        }
        byte[] bytes = canonical.getBytes();
        return Buffer.buffer(looksLikeList(bytes) ? OpenAiModels.fromAnthropic(bytes) : OpenAiModels.oneFromAnthropic(bytes));
    }

    /** A list has {@code "data"}; one model has {@code "type":"model"} and no data. */
    private static boolean looksLikeList(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 64), java.nio.charset.StandardCharsets.UTF_8);
        return head.contains("\"data\"") || !head.contains("\"type\":\"model\"");
    }

    @Override
    public String contentType(boolean stream) {
        return "application/json";
    }
}
