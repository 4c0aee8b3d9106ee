package dev.sluice.cache.stage;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.testing.RecordingRelay;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A transparent HTTP relay between a client and the gateway that keeps a copy of every Messages request and
 * the answer the gateway gave it, so a test can read what a real CLI sent and received.
 */
final class RecordingProxy implements AutoCloseable {
    /** One Messages call as it passed. */
    record Exchange(String request, String response, String cacheStatus) {
    }

    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final RecordingRelay relay;

    RecordingProxy(int targetPort) {
        this.relay = new RecordingRelay(targetPort, (in, body, resp, answer) -> {
            if (in.path().equals("/v1/messages")) {
                seen.add(new Exchange(body.toString(UTF_8), answer.toString(UTF_8), String.valueOf(resp.getHeader("x-sluice-cache"))));
            }
        });
    }

    String url() {
        return relay.url();
    }

    List<Exchange> seen() {
        return List.copyOf(seen);
    }

    void clear() {
        seen.clear();
    }

    @Override
    public void close() {
        relay.close();
    }
}
