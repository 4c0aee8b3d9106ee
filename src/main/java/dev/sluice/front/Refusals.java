package dev.sluice.front;

import dev.sluice.pipeline.ClientProtocol;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * How the front answers requests that are not a front door's calls: in which protocol's envelope
 * (an unknown path under {@code /v1/chat/} is an OpenAI client's mistake, answered in OpenAI's
 * shape), and which paths are known but not served (a clear 501 instead of a 404).
 *
 * @param protocolFor the client protocol whose envelope a path's refusal uses
 * @param unsupported true for API paths the gateway knows but does not serve
 */
public record Refusals(Function<String, ClientProtocol> protocolFor, Predicate<String> unsupported) {
    ClientProtocol protocolFor(String path) {
        return protocolFor.apply(path);
    }

    boolean unsupported(String path) {
        return unsupported.test(path);
    }
}
