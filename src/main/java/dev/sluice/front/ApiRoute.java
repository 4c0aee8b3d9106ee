package dev.sluice.front;

import dev.sluice.pipeline.ClientProtocol;
import dev.sluice.pipeline.Operation;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Predicate;

/**
 * One API call a front door serves: requests with this method and path (or path prefix), for which
 * {@code when} holds, become an exchange for {@code operation} spoken in {@code protocol}.
 *
 * @param template the method and path as spans and metrics name it ({@code POST /v1/messages},
 *                 {@code GET /v1/models/{id}}): bounded, whatever ids the paths carry
 * @param when     which requests on that path this front door takes (two doors share {@code GET /v1/models}
 *                 and tell their clients apart by a header); every request for most routes
 */
public record ApiRoute(HttpMethod method, String path, boolean prefix, Operation operation, ClientProtocol protocol,
                       String template, Predicate<HttpServerRequest> when) {
    private static final Predicate<HttpServerRequest> ALWAYS = r -> true;

    public static ApiRoute exact(HttpMethod method, String path, Operation op, ClientProtocol protocol) {
        return new ApiRoute(method, path, false, op, protocol, method + " " + path, ALWAYS);
    }

    /** Paths below {@code path + "/"}, e.g. {@code /v1/models/{id}}. */
    public static ApiRoute under(HttpMethod method, String path, Operation op, ClientProtocol protocol, String template) {
        return new ApiRoute(method, path, true, op, protocol, template, ALWAYS);
    }

    /** This route, for the requests {@code condition} accepts only. */
    public ApiRoute onlyWhen(Predicate<HttpServerRequest> condition) {
        return new ApiRoute(method, path, prefix, operation, protocol, template, condition);
    }

    boolean matches(String p) {
        return prefix ? p.length() > path.length() + 1 && p.startsWith(path) && p.charAt(path.length()) == '/' : p.equals(path);
    }

    boolean matches(String p, HttpServerRequest req) {
        return matches(p) && when.test(req);
    }
}
