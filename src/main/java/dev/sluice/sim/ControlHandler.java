package dev.sluice.sim;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The simulator's own control endpoints, without auth: {@code GET /_sim/requests},
 * {@code GET /_sim/usage} and {@code POST /_sim/reset} (clears the recorder and the prompt cache).
 */
final class ControlHandler {

    static final String PREFIX = "/_sim/";

    private ControlHandler() {
    }

    static void handle(HttpServerRequest request, SimContext sim) {
        String path = request.path();
        HttpMethod method = request.method();
        if (method == HttpMethod.GET && path.equals("/_sim/requests")) {
            json(request, 200, SimJson.bytes(RecorderJson.requests(sim.recorder())));
        } else if (method == HttpMethod.GET && path.equals("/_sim/usage")) {
            json(request, 200, SimJson.bytes(RecorderJson.usage(sim.recorder())));
        } else if (method == HttpMethod.POST && path.equals("/_sim/reset")) {
            sim.recorder().clear();
            sim.promptCache().clear();
            json(request, 200, "{\"reset\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            json(request, 404, SimJson.bytes(MessageJson.error("not_found_error",
                    "Not found: " + method + " " + path
                            + " (control endpoints: GET /_sim/requests, GET /_sim/usage, POST /_sim/reset)",
                    null)));
        }
    }

    private static void json(HttpServerRequest request, int status, byte[] body) {
        request.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(Buffer.buffer(body));
    }
}
