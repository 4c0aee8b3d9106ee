package dev.sluice.cache.stage;

import dev.sluice.testing.AnthropicSse;
import dev.sluice.testing.StubServer;
import java.util.List;
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

    static final String REFUSAL_STREAM = AnthropicSse.textAnswer("claude-refuse-1", 12, List.of("I can't help with that."), "refusal", 7);

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
