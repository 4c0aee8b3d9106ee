package dev.sluice.front;

import dev.sluice.wire.ApiError;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.Iterator;
import java.util.Map;

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
    private static final String HOST = "host";

    private RequestLimits() {
    }

    /** The refusal for this request's head, or null when it is acceptable. */
    static ApiError check(HttpServerRequest req) {
        MultiMap headers = req.headers();
        int n;
        int hosts;
        if (headers instanceof HttpHeaders h1) {
            // HTTP/1: one walk over the fields as the decoder stored them, counting as it goes. (The map's size() counts
            // distinct names by sorting them into a set, which cost more than the rest of this check on every request.)
            n = 0;
            hosts = 0;
            for (Iterator<Map.Entry<CharSequence, CharSequence>> it = h1.iteratorCharSequence(); it.hasNext(); ) {
                if (AsciiString.contentEqualsIgnoreCase(it.next().getKey(), HOST)) {
                    hosts++;
                }
                if (++n > MAX_HEADERS) {
                    break;
                }
            }
        } else {
            n = headers.size();
            hosts = headers.getAll(HOST).size();
        }
        if (n > MAX_HEADERS) {
            return new ApiError(431, "invalid_request_error", "Too many request header fields: more than " + MAX_HEADERS
                    + " (expected: at most " + MAX_HEADERS + ")", false, null);
        }
        if (req.version() == HttpVersion.HTTP_1_1 && hosts != 1) {
            return ApiError.invalidRequest("An HTTP/1.1 request needs exactly one Host header (got " + hosts + ")");
        }
        return null;
    }
}
