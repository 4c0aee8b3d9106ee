package dev.sluice.front.bedrock;

import dev.sluice.pipeline.Exchange;
import dev.sluice.translate.ClientEncoder;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import dev.sluice.wire.Usage;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Canonical answers in Bedrock's wire. A stream is {@code application/vnd.amazon.eventstream}: each canonical event
 * one {@code chunk} frame carrying the event's JSON as base64 (the gateway's own pings too: Anthropic's Bedrock SDK
 * reads them as it reads a ping from Anthropic's API, and they keep a silent stream alive through proxies), the
 * {@code message_stop} with {@code amazon-bedrock-invocationMetrics} as Bedrock adds it, an {@code error} event as an
 * {@code exception} frame (the gateway's own errors in a stream too, through {@link BedrockDoor#errorEvent}). A whole
 * answer is the Anthropic message as it is, a count {@code {"inputTokens":N}}, a model list Bedrock's inference
 * profiles or foundation models, an error {@code {"message"}} with the exception's name in {@code x-amzn-ErrorType}.
 * One per response, confined to the exchange's event loop.
 */
final class BedrockEncoder implements ClientEncoder {
    private static final String METRICS = "amazon-bedrock-invocationMetrics";

    private final Exchange ex;
    private final StreamUsage usage = new StreamUsage();
    private long firstEventNanos;

    BedrockEncoder(Exchange ex) {
        this.ex = ex;
    }

    @Override
    public Buffer events(List<SseEvent> events) {
        Buffer out = Buffer.buffer(events.size() * 256);
        for (SseEvent e : events) {
            if (firstEventNanos == 0) {
                firstEventNanos = System.nanoTime();
            }
            switch (e.type()) {
                case "message_start", "message_delta" -> {
                    usage.onEvent(e.type(), e.raw(), e.dataStart(), e.dataLength());
                    EventStreamFrames.chunk(out, e.raw(), e.dataStart(), e.dataLength());
                }
                case "message_stop" -> messageStop(out, e);
                case "error" -> exception(out, e.raw(), e.dataStart(), e.dataLength());
                default -> EventStreamFrames.chunk(out, e.raw(), e.dataStart(), e.dataLength());
            }
        }
        return out;
    }

    /**
     * The last event, with Bedrock's own count, written from the usage relayed (a Bedrock upstream's own is cut out by
     * its decoder, as from every canonical answer); an event that has one keeps it.
     */
    private void messageStop(Buffer out, SseEvent e) {
        String data = e.data();
        int close = data.lastIndexOf('}');
        if (data.contains(METRICS) || close < 0) {
            EventStreamFrames.chunk(out, e.raw(), e.dataStart(), e.dataLength());
            return;
        }
        Usage u = usage.usage();
        long now = System.nanoTime();
        String metrics = "\"" + METRICS + "\":{\"inputTokenCount\":" + u.inputTokens() + ",\"outputTokenCount\":"
                + u.outputTokens() + ",\"invocationLatency\":" + (now - ex.arrivedNanos()) / 1_000_000
                + ",\"firstByteLatency\":" + Math.max(0, firstEventNanos - ex.arrivedNanos()) / 1_000_000
                + ",\"cacheReadInputTokenCount\":" + u.cacheReadInputTokens() + ",\"cacheWriteInputTokenCount\":"
                + u.cacheCreationInputTokens() + "}";
        String head = data.substring(0, close).stripTrailing();
        String json = head + (head.endsWith("{") ? "" : ",") + metrics + data.substring(close);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        EventStreamFrames.chunk(out, bytes, 0, bytes.length);
    }

    private static void exception(Buffer out, byte[] envelope, int off, int len) {
        String[] tm = AwsErrors.typeAndMessage(envelope, off, len);
        EventStreamFrames.exception(out, AwsErrors.streamException(tm[0]), AwsErrors.body(tm[1] == null ? "stream error" : tm[1]));
    }

    @Override
    public Buffer body(int status, Buffer canonical) {
        if (status >= 400) {
            byte[] bytes = canonical.getBytes();
            String[] tm = AwsErrors.typeAndMessage(bytes, 0, bytes.length);
            String type = tm[0] != null ? tm[0] : AwsErrors.typeForStatus(status);
            ex.responseHeaders().set("x-amzn-ErrorType", AwsErrors.exception(type));
            String message = tm[1] != null ? tm[1] : "error " + status;
            return Buffer.buffer(AwsErrors.body(message));
        }
        if (status >= 300) {
            return canonical;
        }
        return switch (ex.operation()) {
            case COUNT_TOKENS -> Buffer.buffer(Listings.inputTokens(canonical.getBytes()));
            case MODELS -> Buffer.buffer(Listings.of(ex.request().path(), canonical.getBytes()));
            default -> canonical;
        };
    }

    @Override
    public String contentType(boolean stream) {
        return stream ? "application/vnd.amazon.eventstream" : "application/json";
    }
}
