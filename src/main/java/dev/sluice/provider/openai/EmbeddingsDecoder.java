package dev.sluice.provider.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * An embeddings answer: passed on as the upstream sent it (the client speaks OpenAI's wire too), with its cost
 * read from {@code usage.prompt_tokens} and the model it names, in one streaming pass that skips the vectors.
 * Errors become Anthropic's envelope like every other canonical error, for the client protocol to render.
 */
final class EmbeddingsDecoder implements UpstreamDecoder, UsageReport {
    private Usage usage = Usage.ZERO;
    private String model;
    private String errorType;
    private boolean complete;
    private boolean estimated;

    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
        // Embeddings are never streamed; the attempt loop only hands over whole bodies.
    }

    @Override
    public void end(List<SseEvent> out) {
    }

    @Override
    public Buffer body(int status, Buffer body) {
        byte[] bytes = body.getBytes();
        if (status >= 300) {
            Object[] mapped = OpenAiErrors.body(status, bytes);
            errorType = (String) mapped[0];
            return Buffer.buffer((byte[]) mapped[1]);
        }
        if (!read(bytes)) {
            estimated = true; // a 2xx we cannot read: billed nothing, and flagged rather than silently zero
        }
        complete = true;
        return body;
    }

    private boolean read(byte[] bytes) {
        try (JsonParser p = Json.FACTORY.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            boolean sawUsage = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("model") && v == JsonToken.VALUE_STRING) {
                    model = p.getText();
                } else if (name.equals("usage") && v == JsonToken.START_OBJECT) {
                    sawUsage = true;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String field = p.currentName();
                        JsonToken n = p.nextToken();
                        if (field.equals("prompt_tokens") && n == JsonToken.VALUE_NUMBER_INT) {
                            usage = Usage.of(Math.max(0, p.getLongValue()), 0);
                        } else {
                            p.skipChildren();
                        }
                    }
                } else {
                    p.skipChildren();
                }
            }
            return sawUsage;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public UsageReport report() {
        return this;
    }

    @Override
    public Usage usage() {
        return usage;
    }

    @Override
    public boolean estimated() {
        return estimated;
    }

    @Override
    public String servedModel() {
        return model;
    }

    @Override
    public String errorType() {
        return errorType;
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
