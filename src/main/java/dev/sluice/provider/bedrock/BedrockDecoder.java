package dev.sluice.provider.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.Operation;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.translate.CloudErrors;
import dev.sluice.translate.UnreadableAnswer;
import dev.sluice.translate.UpstreamDecoder;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;

/**
 * Decodes Bedrock's answers into canonical form.
 *
 * <p>Streams arrive as {@code application/vnd.amazon.eventstream}: binary frames (length prelude, typed
 * headers, payload, two CRC32s) cut by {@link EventStreamFrames}, whatever the network's chunking, and checked
 * by the SDK's codec; a frame's declared length is bounded before any of it is held. An {@code event}/{@code chunk} frame's payload is {@code {"bytes":"<base64>"}}, and the decoded
 * bytes are exactly one Anthropic stream event, re-framed as {@code event: <type>\ndata: <json>\n\n} with
 * its JSON untouched, but for the {@code amazon-bedrock-invocationMetrics} Bedrock adds to {@code message_stop}, which
 * Anthropic's API never sends: read for the bill, then cut out ({@link BedrockMetrics#without}).
 * {@code exception} frames become canonical {@code error} events with the mapped type; an error event
 * ends the answer (frames a broken upstream sends after it are dropped).
 * Each chunk's events are handed on at once: nothing waits for later frames. Bodies: an answer is already
 * Anthropic JSON; a count-tokens answer {@code {"inputTokens":N}} becomes {@code {"input_tokens":N}}; an
 * error becomes Anthropic's envelope. One per attempt.
 */
public final class BedrockDecoder implements UpstreamDecoder, UsageReport {

    private final Operation op;
    private final List<Message> frames = new ArrayList<>(4);
    private final EventStreamFrames frameCutter = new EventStreamFrames();
    private final StreamUsage stream = new StreamUsage();
    private boolean streamed;
    private boolean broken;
    /** An event has been handed on: the answer has begun, and what breaks after it ends the stream with an error. */
    private boolean started;
    /** An error event has been handed on: it ends the answer, and whatever a broken upstream sends after it is dropped. */
    private boolean failed;
    private boolean complete;
    private Usage metricsUsage;
    private Usage bodyUsage;
    private boolean bodyEstimated;
    private String bodyModel;
    private String errorType;
    private String errorTypeHeader;

    public BedrockDecoder(Operation op) {
        this.op = op;
    }

    /** The response head: Bedrock names a non-stream error's type in {@code x-amzn-ErrorType}. */
    public void head(MultiMap headers) {
        errorTypeHeader = headers.get("x-amzn-errortype");
    }

    @Override
    public void head(int status, MultiMap headers) {
        head(headers);
    }

    /** Bedrock's statuses in Anthropic's terms: 424 (model error) is a 500, 408 a 504, 503 a 529, by the error's type. */
    @Override
    public int clientStatus(int upstreamStatus) {
        if (upstreamStatus < 300 || errorType == null) {
            return upstreamStatus;
        }
        return BedrockErrors.clientStatus(upstreamStatus, errorType);
    }

    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
        streamed = true;
        if (broken || failed) {
            return;
        }
        try {
            frameCutter.feed(chunk.getBytes(), frames);
        } catch (RuntimeException e) {
            // A bad CRC or length: nothing after it can be trusted. The frames the decoder completed before it, in this
            // same read, passed their checks: they go on first (a final usage among them is what the bill needs).
            broken = true;
            if (!started && frames.isEmpty()) {
                // Nothing of the answer yet: a broken answer (502, or the route's next target), not an error event the
                // client would take for the upstream's own HTTP 500.
                throw new UnreadableAnswer("Bedrock's first event-stream frame is corrupt");
            }
            handOn(out);
            if (!failed) {
                out.add(error("api_error", "Bedrock sent a corrupt event-stream frame"));
            }
            return;
        }
        handOn(out);
    }

    private void handOn(List<SseEvent> out) {
        try {
            for (Message frame : frames) {
                if (failed) {
                    break;
                }
                int before = out.size();
                frame(frame, out);
                started |= out.size() > before;
            }
        } finally {
            frames.clear();
        }
    }

    private void frame(Message frame, List<SseEvent> out) {
        Map<String, HeaderValue> h = frame.getHeaders();
        String kind = header(h, ":message-type");
        if ("event".equals(kind)) {
            if ("chunk".equals(header(h, ":event-type"))) {
                chunkEvent(frame.getPayload(), out);
            }
            return; // other event types (initial-response) carry nothing for the client
        }
        if ("exception".equals(kind)) {
            String[] mt = BedrockErrors.messageAndType(frame.getPayload());
            out.add(error(BedrockErrors.type(header(h, ":exception-type"), 0), mt[0]));
        } else if ("error".equals(kind)) {
            out.add(error(BedrockErrors.type(header(h, ":error-code"), 0), header(h, ":error-message")));
        }
    }

    private void chunkEvent(byte[] payload, List<SseEvent> out) {
        byte[] json = innerBytes(payload);
        if (json == null) {
            unreadable("Bedrock sent a chunk without event bytes", out);
            return;
        }
        String type = typeOf(json);
        if (type == null) {
            unreadable("Bedrock sent an event that is not an Anthropic event", out);
            return;
        }
        switch (type) {
            case "content_block_delta" -> stream.addDelta(json, 0, json.length);
            case "message_stop" -> {
                complete = true;
                metricsUsage = BedrockMetrics.usage(json);
                // Bedrock's, not Anthropic's: read for the bill, then cut out of the canonical event, which every client
                // and the response cache get (the Bedrock door writes its own from the usage it relayed).
                json = BedrockMetrics.without(json);
            }
            default -> stream.onEvent(type, json, 0, json.length);
        }
        out.add(CanonicalEvents.of(type, json));
    }

    /**
     * A chunk whose event cannot be read: before anything of the answer, a broken answer (502, or the route's next
     * target), not an error event the client would take for the upstream's own; after it, the stream's end.
     */
    private void unreadable(String message, List<SseEvent> out) {
        if (!started) {
            broken = true;
            throw new UnreadableAnswer(message);
        }
        out.add(error("api_error", message));
    }

    private SseEvent error(String type, String message) {
        if (errorType == null) {
            errorType = type;
        }
        failed = true;
        return CanonicalEvents.of("error", BedrockErrors.envelope(type, message));
    }

    /** The decoded {@code bytes} field of a chunk payload (Jackson decodes the base64 itself). */
    private static byte[] innerBytes(byte[] payload) {
        try (JsonParser p = Json.FACTORY.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("bytes") && v == JsonToken.VALUE_STRING) {
                    return p.getBinaryValue();
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** The top-level {@code type} of an Anthropic event (first field in practice, so this stops early). */
    static String typeOf(byte[] json) {
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (name.equals("type") && v == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String header(Map<String, HeaderValue> headers, String name) {
        HeaderValue v = headers.get(name);
        return v == null ? null : v.getString();
    }

    @Override
    public void end(List<SseEvent> out) {
        if (!broken && !complete && streamed) {
            // Frames cut mid-way: the remainder is unusable; the relay reports the broken stream.
            frames.clear();
        }
    }

    @Override
    public Buffer body(int status, Buffer body) {
        byte[] bytes = body.getBytes();
        if (status >= 300) {
            String[] mt = BedrockErrors.messageAndType(bytes);
            String type = BedrockErrors.type(errorTypeHeader != null ? errorTypeHeader : mt[1], status);
            errorType = CloudErrors.promptTooLong(mt[0]) ? "invalid_request_error" : type;
            bodyUsage = Usage.ZERO;
            return Buffer.buffer(BedrockErrors.envelope(type, mt[0] == null ? new String(bytes, 0,
                    Math.min(bytes.length, 200), StandardCharsets.UTF_8) : mt[0]));
        }
        if (op == Operation.COUNT_TOKENS) {
            complete = true;
            bodyUsage = Usage.ZERO; // counting is free
            return Buffer.buffer(BedrockCountTokens.canonical(bytes));
        }
        try {
            // An empty 2xx is no answer (billed nothing, flagged, not complete), as on the Anthropic wire; a count no
            // upstream means (negative, fractional, a string) is billed from a stand-in and flagged.
            MessageUsage.Reading reading = MessageUsage.reading(bytes);
            bodyUsage = reading.usage();
            bodyEstimated = reading.doubtful();
            bodyModel = reading.model();
            complete = true;
        } catch (IllegalArgumentException e) {
            bodyUsage = Usage.ZERO;
            bodyEstimated = true;
        }
        return body;
    }

    @Override
    public UsageReport report() {
        return this;
    }

    @Override
    public Usage usage() {
        if (!streamed) {
            return bodyUsage == null ? Usage.ZERO : bodyUsage;
        }
        // The final message_delta is the word on output; without it, Bedrock's own metrics on message_stop are.
        return !stream.sawFinalDelta() && metricsUsage != null ? metricsUsage : stream.usage();
    }

    @Override
    public boolean estimated() {
        if (!streamed) {
            return bodyEstimated;
        }
        // With its final message_delta, the stream's own doubt decides (a count no API means, one that went down);
        // without it, Bedrock's metrics are exact and the byte estimate is not.
        return stream.sawFinalDelta() ? stream.estimated() : metricsUsage == null && stream.estimated();
    }

    @Override
    public String servedModel() {
        return streamed ? stream.servedModel() : bodyModel;
    }

    @Override
    public String errorType() {
        return errorType != null ? errorType : stream.errorType();
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
