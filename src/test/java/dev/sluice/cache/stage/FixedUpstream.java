package dev.sluice.cache.stage;

import dev.sluice.testing.StubServer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An Anthropic-shaped upstream that answers every Messages call with one fixed answer: a refusal (which the
 * simulator cannot give), as a stream or as JSON depending on the request's {@code stream} flag.
 */
final class FixedUpstream implements AutoCloseable {
    static final String REFUSAL_JSON = """
            {"id":"msg_01Refusal","type":"message","role":"assistant","model":"claude-refuse-1","content":[{"type":"text",\
            "text":"I can't help with that."}],"stop_reason":"refusal","stop_sequence":null,"usage":{"input_tokens":12,\
            "output_tokens":7}}""";

    static final String REFUSAL_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_01Refusal","type":"message","role":"assistant","model":"claude-refuse-1","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"I can't help with that."}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null},"usage":{"output_tokens":7}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private final AtomicInteger answered = new AtomicInteger();
    private final StubServer server = StubServer.start((req, body) -> {
        answered.incrementAndGet();
        boolean stream = body.toString().contains("\"stream\":true");
        req.response().putHeader("content-type", stream ? "text/event-stream" : "application/json")
                .end(stream ? REFUSAL_STREAM : REFUSAL_JSON);
    });

    String url() {
        return server.url();
    }

    int answered() {
        return answered.get();
    }

    @Override
    public void close() {
        server.close();
    }
}
