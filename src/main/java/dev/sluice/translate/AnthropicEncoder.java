package dev.sluice.translate;

import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/** The encoder for Anthropic clients: canonical is their wire, so events go out as their exact bytes. */
public final class AnthropicEncoder implements ClientEncoder {
    public static final AnthropicEncoder INSTANCE = new AnthropicEncoder();

    private AnthropicEncoder() {
    }

    @Override
    public Buffer events(List<SseEvent> events) {
        if (events.size() == 1) {
            return Buffer.buffer(events.getFirst().raw());
        }
        int n = 0;
        for (SseEvent e : events) {
            n += e.raw().length;
        }
        Buffer out = Buffer.buffer(n);
        for (SseEvent e : events) {
            out.appendBytes(e.raw());
        }
        return out;
    }

    @Override
    public Buffer body(int status, Buffer canonical) {
        return canonical;
    }

    @Override
    public String contentType(boolean stream) {
        return stream ? "text/event-stream; charset=utf-8" : "application/json";
    }
}
