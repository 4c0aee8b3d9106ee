package dev.sluice.day;

import dev.sluice.testing.RecordingRelay;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pass-through proxy between the CLI and what it talks to (the gateway or the agent upstream) that keeps
 * every {@code POST /v1/messages}: the exact request bytes and the headers that select the answer, the
 * answer bytes, and the gateway's {@code x-sluice-cache} status (absent when talking direct).
 */
final class Tap implements AutoCloseable {

    /** One Messages call as it passed, tagged with the scenario step it belongs to. */
    record Exchange(int step, String developer, byte[] request, Map<String, String> headers, int status, byte[] response,
                    String cacheStatus) {
    }

    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    private final RecordingRelay relay;
    private volatile int step;
    private volatile String developer = "";

    Tap(int targetPort) {
        this.relay = new RecordingRelay(targetPort, (in, body, resp, answer) -> {
            if (in.method().name().equals("POST") && in.path().equals("/v1/messages")) {
                Map<String, String> headers = new TreeMap<>();
                for (String name : List.of("anthropic-version", "anthropic-beta", "content-type")) {
                    String v = in.getHeader(name);
                    if (v != null) {
                        headers.put(name, v);
                    }
                }
                seen.add(new Exchange(step, developer, body.getBytes(), headers, resp.statusCode(), answer.getBytes(),
                        resp.getHeader("x-sluice-cache")));
            }
        });
    }

    String url() {
        return relay.url();
    }

    /** Tags the exchanges that follow. */
    void at(int step, String developer) {
        this.step = step;
        this.developer = developer;
    }

    List<Exchange> seen() {
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        relay.close();
    }
}
