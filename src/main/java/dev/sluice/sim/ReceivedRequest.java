package dev.sluice.sim;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A request exactly as the simulator received it.
 *
 * @param at          arrival time
 * @param method      HTTP method, e.g. {@code POST}
 * @param uri         path and query, e.g. {@code /v1/messages?beta=true}
 * @param headers     every header line in arrival order, names as sent
 * @param body        the exact body bytes (a copy is returned on each call)
 * @param upstreamKey the credential used: the Bearer token if present, else {@code x-api-key}; null if none
 */
public record ReceivedRequest(Instant at, String method, String uri, List<Map.Entry<String, String>> headers,
                              byte[] body, String upstreamKey) {

    public ReceivedRequest {
        headers = List.copyOf(headers);
        body = body.clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, UTF_8);
    }

    /** The first value of a header, matched case-insensitively; null if absent. */
    public String header(String name) {
        for (Map.Entry<String, String> header : headers) {
            if (header.getKey().equalsIgnoreCase(name)) {
                return header.getValue();
            }
        }
        return null;
    }
}
