package dev.sluice.provider.openai;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import dev.sluice.wire.SseEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Fixture loading, and the official Anthropic SDK's stream accumulator as the judge of canonical streams. */
final class OpenAiFixtures {
    private OpenAiFixtures() {
    }

    static byte[] bytes(String resource) {
        try (InputStream in = OpenAiFixtures.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses every canonical event with the SDK's own types and accumulates them as the SDK's stream helper does. */
    static Message accumulate(List<SseEvent> events) {
        MessageAccumulator acc = MessageAccumulator.create();
        for (SseEvent e : events) {
            if (e.type().equals("ping")) {
                continue;
            }
            try {
                acc.accumulate(ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return acc.message();
    }
}
