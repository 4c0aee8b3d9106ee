package dev.sluice.translate;

import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.SseFramer;
import dev.sluice.wire.StreamUsage;
import dev.sluice.wire.Usage;
import dev.sluice.wire.UpstreamErrors;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * The decoder for upstreams that already speak the canonical wire (Anthropic, Vertex's rawPredict):
 * it only cuts the bytes into events, keeping each event's exact bytes, and reads usage from the
 * few events that carry it. Nothing is re-serialised, so the client gets the upstream's bytes.
 */
public final class AnthropicDecoder implements UpstreamDecoder, UsageReport {
    private final SseFramer framer = new SseFramer();
    private final StreamUsage stream = new StreamUsage();
    private boolean streamed;
    private boolean complete;
    private Usage bodyUsage;
    private boolean bodyEstimated;
    private String bodyError;
    private String bodyModel;

    @Override
    public void chunk(Buffer chunk, List<SseEvent> out) {
        streamed = true;
        int first = out.size();
        framer.feed(chunk, out);
        for (int i = first; i < out.size(); i++) {
            if (complete) {
                // Nothing follows message_stop: a second answer after it would reach the client as part of this one.
                out.subList(i, out.size()).clear();
                break;
            }
            observe(out.get(i));
        }
    }

    private void observe(SseEvent e) {
        String type = e.type();
        if ("content_block_delta".equals(type)) {
            stream.addDelta(e.raw(), e.dataStart(), e.dataLength());
        } else if ("message_stop".equals(type)) {
            complete = true;
        } else {
            stream.onEvent(type, e.raw(), e.dataStart(), e.dataLength());
        }
    }

    @Override
    public void end(List<SseEvent> out) {
        byte[] tail = framer.remainder();
        if (tail.length > 0) {
            // An unterminated last frame: passed on as it is, as the upstream sent it.
            out.add(new SseEvent(tail, "message", 0, 0));
        }
    }

    @Override
    public Buffer body(int status, Buffer body) {
        if (status >= 300) {
            bodyUsage = Usage.ZERO;
            if (!UpstreamErrors.isEnvelope(body)) {
                // An error page (a proxy's HTML naming internal hosts, an empty body): clients get an envelope of the
                // status's type instead, never the page's text.
                bodyError = UpstreamErrors.typeForStatus(status);
                return UpstreamErrors.envelope(bodyError, "The upstream answered HTTP " + status
                        + " without an error body the gateway could read");
            }
            bodyError = UpstreamErrors.type(body);
            return body;
        }
        if (body.length() == 0) {
            // A 2xx with no body is no answer: billed nothing, flagged, and not complete.
            bodyUsage = Usage.ZERO;
            bodyEstimated = true;
            return body;
        }
        try {
            MessageUsage.Reading reading = MessageUsage.reading(body);
            bodyUsage = reading.usage();
            bodyEstimated = reading.doubtful(); // a negative or fractional count: billed from a stand-in, flagged
            bodyModel = reading.model();
            complete = true;
        } catch (IllegalArgumentException e) {
            // Not JSON although 2xx: bill nothing but say so, never silently.
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
        return streamed ? stream.usage() : bodyUsage == null ? Usage.ZERO : bodyUsage;
    }

    @Override
    public boolean estimated() {
        return streamed ? stream.estimated() : bodyEstimated;
    }

    @Override
    public String servedModel() {
        return streamed ? stream.servedModel() : bodyModel;
    }

    @Override
    public String errorType() {
        return streamed ? stream.errorType() : bodyError;
    }

    @Override
    public boolean complete() {
        return complete;
    }
}
