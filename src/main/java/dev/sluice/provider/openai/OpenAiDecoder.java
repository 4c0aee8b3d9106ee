package dev.sluice.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.List;

/**
 * An OpenAI chat-completions answer in canonical form. Streams: each {@code chat.completion.chunk} becomes the
 * Anthropic events it implies, at once, through {@link ChunkTranslator}; the usage chunk that
 * {@code stream_options.include_usage} asks for becomes the {@code message_delta} usage, and {@code [DONE]} the
 * {@code message_stop}. Bodies: {@link CompletionBody} (and, for an OpenAI client, the upstream's body kept in a
 * {@link RelayedAnswer}, so it is not rendered back from the message). Errors: Anthropic's envelope ({@link OpenAiErrors}).
 * One per attempt.
 */
public final class OpenAiDecoder implements UpstreamDecoder, UsageReport {
    private final SseFramer framer = new SseFramer();
    private final BareCarriageReturns lineEnds = new BareCarriageReturns();
    private final ChunkTranslator stream;
    private final RelayedAnswer relay;
    private final boolean reasoning;
    private boolean streamed;
    private Usage bodyUsage;
    private boolean bodyComplete;
    private boolean bodyEstimated;
    private String bodyModel;
    private String bodyError;

    public OpenAiDecoder() {
        this(null, true);
    }

    /** @param relay where a whole 2xx answer is kept for an OpenAI client, or null */
    public OpenAiDecoder(RelayedAnswer relay) {
        this(relay, true);
    }

    /**
     * @param relay     where a whole 2xx answer is kept for an OpenAI client, or null
     * @param reasoning the upstream's reasoning text becomes thinking blocks; false drops it (an Anthropic client that
     *                  did not turn thinking on, whose code may read the first block as the text, as Claude gives it)
     */
    public OpenAiDecoder(RelayedAnswer relay, boolean reasoning) {
        this(relay, reasoning, 0);
    }

    /**
     * @param promptEstimate the prompt's tokens as estimated from the request, billed (flagged) for a stream that
     *                       started and ended without the usage chunk OpenAI sends last: the upstream billed the prompt
     */
    public OpenAiDecoder(RelayedAnswer relay, boolean reasoning, long promptEstimate) {
        this.relay = relay;
        this.reasoning = reasoning;
        this.stream = new ChunkTranslator(reasoning, promptEstimate);
    }

    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
        streamed = true;
        frames(lineEnds.lines(chunk), out);
    }

    private void frames(Buffer chunk, List<SseEvent> out) {
        List<SseEvent> frames = framer.feed(chunk);
        for (SseEvent frame : frames) {
            if (frame.dataLength() == 0) {
                continue; // comments (": keep-alive", OpenRouter's ": OPENROUTER PROCESSING") and blank frames
            }
            String data = frame.data();
            if (data.equals("[DONE]")) {
                stream.done(out);
                continue;
            }
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(frame.raw(), frame.dataStart(), frame.dataLength());
            } catch (IOException e) {
                stream.malformed(out);
                continue;
            }
            stream.onChunk(json, out);
        }
    }

    @Override
    public void end(List<SseEvent> out) {
        Buffer held = lineEnds.end();
        if (held != null) {
            frames(held, out);
        }
        stream.end(out);
    }

    @Override
    public Buffer body(int status, Buffer body) {
        if (status >= 300) {
            Object[] mapped = OpenAiErrors.body(status, body.getBytes());
            bodyError = (String) mapped[0];
            bodyUsage = Usage.ZERO;
            return Buffer.buffer((byte[]) mapped[1]);
        }
        try {
            byte[] bytes = body.getBytes();
            CompletionBody.Result r = CompletionBody.toMessage(bytes, reasoning);
            bodyUsage = r.usage();
            bodyEstimated = !r.hadUsage();
            bodyModel = r.model();
            bodyComplete = true;
            Buffer canonical = Buffer.buffer(r.message());
            if (relay != null) {
                relay.kept(bytes, canonical);
            }
            return canonical;
        } catch (IllegalArgumentException e) {
            bodyUsage = e instanceof CompletionBody.Unusable unusable ? unusable.usage : Usage.ZERO; // flagged either way
            bodyEstimated = true;
            bodyError = "api_error";
            return Buffer.buffer(OpenAiErrors.envelope("api_error", "The upstream's answer could not be read: " + e.getMessage()));
        }
    }

    @Override
    public UsageReport report() {
        return this;
    }

    @Override
    public Usage usage() {
        return streamed ? stream.usage() : bodyUsage == null ? Usage.ZERO : bodyUsage;
    }

    @Override
    public boolean estimated() {
        return streamed ? stream.estimated() : bodyEstimated;
    }

    @Override
    public String servedModel() {
        return streamed ? stream.model() : bodyModel;
    }

    @Override
    public String errorType() {
        return streamed ? stream.errorType() : bodyError;
    }

    @Override
    public boolean complete() {
        return streamed ? stream.complete() : bodyComplete;
    }

    static SseEvent event(String type, String json) {
        return CanonicalEvents.of(type, json);
    }
}
