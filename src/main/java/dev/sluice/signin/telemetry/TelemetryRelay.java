package dev.sluice.signin.telemetry;

import dev.sluice.authenticate.Credentials;
import dev.sluice.config.SigninConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.signin.oauth.RateLimiter;
import dev.sluice.signin.session.SignedInUser;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code POST /v1/metrics|logs|traces}: Claude Code's own OTLP/HTTP telemetry (protobuf or JSON),
 * which a signed-in client sends to the gateway instead of anywhere else. The client always hears
 * {@code 200} with an empty export response as soon as its body is read (the protocol asks for 200
 * whether the data is forwarded or not: anything else makes the client's exporter log an error on
 * every flush); what happens next is the gateway's business:
 *
 * <ol>
 *   <li>a caller that is not a live sign-in, a body over {@code max-body}, a body that is not the
 *       OTLP it claims, or no configured collector: dropped and counted (when the caller, the collectors or the
 *       content type already say so, the body is read without being kept);</li>
 *   <li>a developer past {@code per-developer-per-minute} (all their sessions together): dropped and counted, so
 *       one client looping on exports cannot hold the collectors' in-flight places every other developer needs;</li>
 *   <li>otherwise the developer's {@code user.id}, {@code user.email}, {@code sluice.team} and
 *       {@code sluice.org} are set on every resource (unless {@code user-attributes: false}), and the
 *       export goes to every collector at {@code <collector>/v1/<signal>}, each bounded by its own
 *       in-flight limit, deadline and breaker ({@link Destination}).</li>
 * </ol>
 */
public final class TelemetryRelay {
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";
    /** Bodies above this are rewritten on a worker thread, not on the event loop. */
    private static final int INLINE_BYTES = 64 * 1024;

    private final SigninConfig.Telemetry config;
    private final Function<String, SignedInUser> users;
    private final List<Destination> destinations;
    private final RateLimiter perDeveloper;
    private final RelayStats stats = new RelayStats();

    /** @param users the signed-in developer a presented bearer belongs to, or null */
    public TelemetryRelay(SigninConfig.Telemetry config, Function<String, SignedInUser> users) {
        this.config = config;
        this.users = users;
        List<Destination> d = new ArrayList<>();
        for (SigninConfig.Collector c : config.collectors()) {
            d.add(new Destination(c.url(), c.headers(), config.maxInFlight(), config.timeout().toMillis(),
                    new Breaker(config.breakerFailures(), config.breakerCooldown().toMillis(), System::currentTimeMillis)));
        }
        this.destinations = List.copyOf(d);
        int perMinute = config.perDeveloperPerMinute();
        this.perDeveloper = new RateLimiter(perMinute, Math.max(10, perMinute / 4), 100_000);
    }

    public RelayStats stats() {
        return stats;
    }

    /** The three endpoints, relaying with one HTTP client on {@code vertx}. */
    public List<ExtraRoute> routes(Vertx vertx) {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setProtocolVersion(HttpVersion.HTTP_1_1),
                new PoolOptions().setHttp1MaxSize(Math.max(1, config.maxInFlight())));
        List<ExtraRoute> routes = new ArrayList<>();
        for (Signal s : Signal.values()) {
            routes.add(new ExtraRoute(s.path(), req -> handle(vertx, client, req, s)));
        }
        return routes;
    }

    private void handle(Vertx vertx, HttpClient client, HttpServerRequest req, Signal signal) {
        if (req.method() != HttpMethod.POST) {
            req.response().setStatusCode(405).putHeader("allow", "POST").end();
            return;
        }
        stats.addReceived();
        String type = mediaType(req.getHeader("content-type"));
        SignedInUser user = users.apply(Credentials.presented(req.headers()));
        long max = config.maxBody().bytes();
        if (declaredLength(req) > max) {
            tooLarge(req, type);
            return;
        }
        // An export going nowhere is read and counted, never kept: anyone may send one, and none of it is any use.
        RelayStats.Outcome dropped = dropped(user, type);
        Buffer body = dropped == null ? Buffer.buffer() : null;
        long[] read = {0};
        req.handler(chunk -> {
            read[0] += chunk.length();
            if (read[0] > max) {
                req.handler(null); // counted, not buffered: a decompressed body is bounded here too
                tooLarge(req, type);
                return;
            }
            if (body != null) {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (req.response().ended()) {
                return;
            }
            answer(req, type);
            if (dropped != null) {
                stats.add(dropped);
            } else {
                relay(vertx, client, signal, type, body, user);
            }
        });
        req.exceptionHandler(e -> { }); // a client gone mid-body has nothing to be told
    }

    private void tooLarge(HttpServerRequest req, String type) {
        stats.add(RelayStats.Outcome.TOO_LARGE);
        if (!req.isEnded() && req.version() != HttpVersion.HTTP_2) {
            req.response().putHeader("connection", "close"); // the rest of the body is not read
        }
        answer(req, type);
    }

    /** OTLP/HTTP success: an empty export response in the request's encoding. */
    private static void answer(HttpServerRequest req, String type) {
        if (req.response().ended() || req.response().closed()) {
            return;
        }
        if (JSON.equals(type)) {
            req.response().setStatusCode(200).putHeader("content-type", JSON).end("{}");
        } else {
            req.response().setStatusCode(200).putHeader("content-type", PROTOBUF).end();
        }
    }

    /** Why an export goes nowhere whatever its body (its caller, no collector, another content type), or null. */
    private RelayStats.Outcome dropped(SignedInUser user, String type) {
        if (user == null) {
            return RelayStats.Outcome.UNAUTHENTICATED;
        }
        if (destinations.isEmpty()) {
            return RelayStats.Outcome.NO_COLLECTOR;
        }
        if (!PROTOBUF.equals(type) && !JSON.equals(type)) {
            return RelayStats.Outcome.MALFORMED;
        }
        return perDeveloper.tryAcquire(user.userId()) ? null : RelayStats.Outcome.RATE_LIMITED;
    }

    private void relay(Vertx vertx, HttpClient client, Signal signal, String type, Buffer body, SignedInUser user) {
        Map<String, String> attributes = config.userAttributes() ? attributes(user) : Map.of();
        if (body.length() <= INLINE_BYTES) {
            fanOut(vertx, client, signal, type, rewrite(body.getBytes(), signal, type, attributes));
        } else {
            vertx.executeBlocking(() -> rewrite(body.getBytes(), signal, type, attributes), false)
                    .onSuccess(out -> fanOut(vertx, client, signal, type, out));
        }
    }

    private void fanOut(Vertx vertx, HttpClient client, Signal signal, String type, byte[] out) {
        if (out == null) {
            stats.add(RelayStats.Outcome.MALFORMED);
            return;
        }
        Buffer b = Buffer.buffer(out);
        for (Destination d : destinations) {
            d.send(vertx, client, signal, type, b, stats);
        }
    }

    /** The export with the developer's attributes, or null when it is not valid OTLP of its type. */
    static byte[] rewrite(byte[] body, Signal signal, String type, Map<String, String> attributes) {
        try {
            if (PROTOBUF.equals(type)) {
                return attributes.isEmpty() ? body : ResourceAttributes.protobuf(body, attributes);
            }
            return attributes.isEmpty() ? body : ResourceAttributes.json(body, signal, attributes);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static Map<String, String> attributes(SignedInUser user) {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("user.id", user.userId());
        a.put("user.email", user.email());
        a.put("sluice.team", user.teamId());
        a.put("sluice.org", user.orgId());
        return a;
    }

    static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semi = header.indexOf(';');
        String t = (semi < 0 ? header : header.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
        return t.equals("application/protobuf") ? PROTOBUF : t;
    }

    private static long declaredLength(HttpServerRequest req) {
        String v = req.getHeader("content-length");
        try {
            return v == null ? -1 : Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
