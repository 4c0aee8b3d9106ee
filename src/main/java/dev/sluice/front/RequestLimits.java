package dev.sluice.front;

import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * Request-head checks the HTTP layer leaves to us (issue 12). Netty already refuses a request line over 16 KB (414),
 * a head over 64 KB (431), a Content-Length next to a Transfer-Encoding, two different Content-Lengths, a
 * Transfer-Encoding other than chunked, a negative length and bare-LF heads (400), all before we see them
 * ({@code RequestLimitsTest} pins that down). What it accepts and we refuse:
 * <ul>
 *   <li>more than {@value #MAX_HEADERS} header fields: within 64 KB a client can send thousands of tiny ones, each a
 *       map entry to build and every stage to look through; real clients send about 30 (431);</li>
 *   <li>an HTTP/1.1 request without exactly one {@code Host} (RFC 9112 section 3.2: a 400).</li>
 * </ul>
 */
final class RequestLimits {
    static final int MAX_HEADERS = 200;

    private RequestLimits() {
    }

    /** The refusal for this request's head, or null when it is acceptable. */
    static ApiError check(HttpServerRequest req) {
        int n = req.headers().size();
        if (n > MAX_HEADERS) {
            return new ApiError(431, "invalid_request_error", "Too many request header fields: " + n + " (expected: at most "
                    + MAX_HEADERS + ")", false, null);
        }
        if (req.version() == HttpVersion.HTTP_1_1) {
            List<String> hosts = req.headers().getAll("host");
            if (hosts.size() != 1) {
                return ApiError.invalidRequest("An HTTP/1.1 request needs exactly one Host header (got " + hosts.size() + ")");
            }
        }
        return null;
    }
}
