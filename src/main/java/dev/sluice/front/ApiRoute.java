package dev.sluice.front;

import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Operation;
import io.vertx.core.http.HttpMethod;

/**
 * One API call a front door serves: requests with this method and path (or path prefix) become an
 * exchange for {@code operation} spoken in {@code protocol}.
 *
 * @param template the method and path as spans and metrics name it ({@code POST /v1/messages},
 *                 {@code GET /v1/models/{id}}): bounded, whatever ids the paths carry
 */
public record ApiRoute(HttpMethod method, String path, boolean prefix, Operation operation, ClientProtocol protocol,
                       String template) {

    public static ApiRoute exact(HttpMethod method, String path, Operation op, ClientProtocol protocol) {
        return new ApiRoute(method, path, false, op, protocol, method + " " + path);
    }

    /** Paths below {@code path + "/"}, e.g. {@code /v1/models/{id}}. */
    public static ApiRoute under(HttpMethod method, String path, Operation op, ClientProtocol protocol, String template) {
        return new ApiRoute(method, path, true, op, protocol, template);
    }

    boolean matches(String p) {
        return prefix ? p.length() > path.length() + 1 && p.startsWith(path) && p.charAt(path.length()) == '/' : p.equals(path);
    }
}
