package dev.sluice.admin;

import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.authenticate.Credentials;
import dev.sluice.identity.IdentityException;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.respond.Replies;
import dev.sluice.store.Database;
import dev.sluice.wire.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's front door. For each request, in this order:
 * <ol>
 *   <li>no admin credentials configured: 404, the API is off;</li>
 *   <li>missing or unknown credential: 401 with {@code x-should-retry: false} (before routing, so an outsider
 *       cannot even learn which paths exist); an address that has sent too many wrong ones: 429, its credential
 *       not compared ({@link CredentialGuesses});</li>
 *   <li>unknown path: 404; known path, other method: 405;</li>
 *   <li>a change with a {@code read} credential: 403 {@code permission_error};</li>
 *   <li>the body is read (at most 64 KiB: 413; declared as other than JSON: 415) and the endpoint runs on a worker thread; after a change the key
 *       registry reloads before the answer goes out, so the change is in force when the caller hears of it.</li>
 * </ol>
 */
public final class AdminApi {
    public static final String PREFIX = "/admin";
    static final int MAX_BODY = 64 * 1024;
    static final String HSTS = "max-age=31536000";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final Vertx vertx;
    private final KeyRegistry registry;
    private final AdminAuth auth;
    private final List<Endpoint> endpoints;
    private final AdminChanges changes;

    private AdminApi(Vertx vertx, AdminParts parts) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.changes = parts.changes();
        this.registry = parts.registry();
        this.auth = new AdminAuth(parts.config(), parts.guesses());
        List<Endpoint> all = new ArrayList<>(DirectoryEndpoints.all(parts.store()));
        all.addAll(KeyEndpoints.all(parts.store()));
        all.addAll(SpendEndpoints.all(parts.reports()));
        all.addAll(ConfigEndpoints.all(parts.live()));
        all.addAll(parts.budgets() == null ? List.of() : BudgetEndpoints.all(parts.budgets()));
        all.addAll(parts.cache() == null ? List.of() : CacheEndpoints.all(parts.cache()));
        all.addAll(parts.cache() == null ? List.of() : CacheLearnEndpoints.all(parts.cache()));
        all.addAll(parts.cache() == null ? List.of() : SemanticTuningEndpoints.all(parts.cache(), parts.live()));
        all.addAll(parts.sessions() == null ? List.of() : SessionEndpoints.all(parts.sessions()));
        this.endpoints = List.copyOf(all);
    }

    /** The route to mount on the front (or on the admin listener): everything under {@code /admin}. */
    public static ExtraRoute route(Vertx vertx, AdminParts parts) {
        AdminApi api = new AdminApi(vertx, parts);
        return new ExtraRoute(PREFIX, api::handle);
    }

    private void handle(HttpServerRequest req) {
        long arrived = System.nanoTime();
        String requestId = RequestIds.next();
        String path = dev.sluice.wire.Paths.withoutTrailingSlash(req.path());
        if (req.isSSL()) {
            // Issue 12: under TLS every admin answer, refusals included, tells browsers to come back over HTTPS only.
            // A year, as preload lists expect; not subdomains, which the gateway does not own.
            req.response().headers().set("strict-transport-security", HSTS);
        }
        try {
            Endpoint endpoint = admit(req, path);
            Map<String, String> params = endpoint.match(path);
            Map<String, List<String>> query = query(req);
            readBody(req, body -> {
                String notJson = body.length() == 0 ? null : notJson(req.getHeader("content-type"));
                if (notJson != null) {
                    fail(req.response(), new ApiError(415, "invalid_request_error", notJson), requestId, arrived, path);
                    return;
                }
                AdminCall call = new AdminCall(req.method().name(), path, params, query, body.getBytes(),
                        Instant.now(), auth.name(Credentials.presented(req.headers())));
                vertx.executeBlocking(() -> run(endpoint, call), false)
                        .onSuccess(reply -> {
                            if (!endpoint.recordsItself()) {
                                audit(endpoint, call, "status " + reply.status());
                            }
                            send(req.response(), reply, requestId, arrived);
                        })
                        .onFailure(e -> {
                            audit(endpoint, call, "refused: " + apiError(e, requestId, path).status());
                            fail(req.response(), e, requestId, arrived, path);
                        });
            }, () -> fail(req.response(), new ApiError(413, "request_too_large",
                    "admin request body over " + MAX_BODY + " bytes"), requestId, arrived, path));
        } catch (RuntimeException e) {
            fail(req.response(), e, requestId, arrived, path);
        }
    }

    /**
     * Why a body's declared type is not JSON, or null: no type (a client that sends none means JSON here) or a JSON one.
     * A body declared as text or a form was read as JSON all the same (attack round 27); what a caller labels otherwise
     * is not what the API takes, and a 415 says so.
     */
    static String notJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return null;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"))) {
            return null;
        }
        return "content-type: " + (type.length() > 100 ? type.substring(0, 100) + "..." : type)
                + " (expected: application/json)";
    }

    /**
     * One audit line per change attempted with a write credential: who, which endpoint, on what, how it ended. An
     * endpoint whose work records its own changes (budgets) gets a line here only when it was refused.
     */
    private void audit(Endpoint endpoint, AdminCall call, String outcome) {
        if (!endpoint.writes()) {
            return;
        }
        String object = call.pathParams().isEmpty() ? call.path() : String.join(",", call.pathParams().values());
        String fields = JsonBody.fieldNames(call.body());
        try {
            changes.changed(call.who() == null ? "admin API" : call.who(), endpoint.method().name() + " " + endpoint.pattern(),
                    object, outcome + (fields.isEmpty() ? "" : "; fields: " + fields));
        } catch (RuntimeException e) {
            LOG.warn("admin change on {} could not be recorded: {}", call.path(), e.getMessage());
        }
    }

    /** Steps 1 to 4 of the class comment: the endpoint this caller may use, or the error that says why not. */
    private Endpoint admit(HttpServerRequest req, String path) {
        if (auth.isOff()) {
            throw ApiError.notFound("Not found: " + req.method() + " " + path);
        }
        String presented = Credentials.presented(req.headers());
        if (presented == null) {
            throw ApiError.authentication("admin credential required (send Authorization: Bearer <admin key> or x-api-key)");
        }
        AdminRole role = auth.check(presented, CredentialGuesses.address(req));
        if (role == null) {
            throw ApiError.authentication("invalid admin credential");
        }
        Endpoint pathMatch = null;
        for (Endpoint e : endpoints) {
            if (e.match(path) != null) {
                if (e.method().equals(req.method())) {
                    if (e.writes() && role != AdminRole.WRITE) {
                        throw new ApiError(403, "permission_error", "this admin credential has role read; "
                                + req.method() + " " + path + " needs role write", false, null);
                    }
                    return e;
                }
                pathMatch = e;
            }
        }
        if (pathMatch != null) {
            throw new ApiError(405, "invalid_request_error", req.method() + " is not allowed on " + path
                    + " (expected: " + allowed(path) + ")", false, null);
        }
        throw ApiError.notFound("Not found: " + req.method() + " " + path);
    }

    private Reply run(Endpoint endpoint, AdminCall call) {
        Reply reply = endpoint.action().run(call);
        if (endpoint.writes()) {
            try {
                registry.reload();
            } catch (RuntimeException e) {
                // The change is committed; answering 500 would invite a retry that fails as a duplicate.
                // The background refresh applies it as soon as the database answers again.
                LOG.warn("admin change on {} is saved, but the key registry could not reload yet: {}", call.path(),
                        e.getMessage());
            }
        }
        return reply;
    }

    private String allowed(String path) {
        return String.join(", ", endpoints.stream().filter(e -> e.match(path) != null).map(e -> e.method().name()).toList());
    }

    private static Map<String, List<String>> query(HttpServerRequest req) {
        Map<String, List<String>> q = new LinkedHashMap<>();
        req.params().forEach(e -> q.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return q;
    }

    private static void readBody(HttpServerRequest req, Handler<Buffer> onBody, Runnable onTooLarge) {
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (!refused[0] && body.length() + chunk.length() > MAX_BODY) {
                refused[0] = true;
                Replies.closeAfter(req);
                onTooLarge.run();
            } else if (!refused[0]) {
                body.appendBuffer(chunk);
            }
        });
        req.endHandler(v -> {
            if (!refused[0]) {
                onBody.handle(body);
            }
        });
    }

    private static void send(HttpServerResponse resp, Reply reply, String requestId, long arrived) {
        if (resp.ended() || resp.closed()) {
            return;
        }
        Replies.commonHeaders(resp.headers(), requestId, (System.nanoTime() - arrived) / 1e6);
        resp.headers().set("content-type", reply.contentType()).set("cache-control", "no-store");
        reply.headers().forEach(resp.headers()::set);
        resp.setStatusCode(reply.status()).end(reply.body());
    }

    private static void fail(HttpServerResponse resp, Throwable e, String requestId, long arrived, String path) {
        if (resp.ended() || resp.closed()) {
            return;
        }
        Replies.commonHeaders(resp.headers(), requestId, (System.nanoTime() - arrived) / 1e6);
        resp.headers().set("cache-control", "no-store");
        ApiError error = apiError(e, requestId, path);
        resp.headers().set("content-type", "application/json");
        if (error.shouldRetry() != null) {
            resp.headers().set("x-should-retry", error.shouldRetry().toString());
        }
        error.headers().forEach(resp.headers()::set);
        resp.setStatusCode(error.status()).end(dev.sluice.wire.ErrorBody.json(error.type(), error.getMessage(), requestId));
    }

    /** A 503 the caller may retry while PostgreSQL restarts or fails over, not an internal error. */
    public static ApiError databaseAway(String requestId) {
        return new ApiError(503, "api_error", "The gateway's database is unavailable; try again shortly (request id "
                + requestId + ")", true, null);
    }

    /** Refusals keep their own message; anything unexpected is logged and answered without internals. */
    static ApiError apiError(Throwable e, String requestId, String path) {
        return switch (e) {
            case ApiError a -> a;
            case IdentityException i -> switch (i.kind()) {
                case INVALID -> ApiError.invalidRequest(i.getMessage());
                case NOT_FOUND -> ApiError.notFound(i.getMessage());
                case CONFLICT -> new ApiError(409, "invalid_request_error", i.getMessage(), false, null);
            };
            case dev.sluice.config.ConfigException bad -> ApiError.invalidRequest(bad.getMessage());
            case IllegalArgumentException bad -> ApiError.invalidRequest(bad.getMessage());
            case Throwable t when Database.unavailable(t) -> {
                LOG.warn("admin request {} on {}: the database is unavailable: {}", requestId, path, t.toString());
                yield databaseAway(requestId);
            }
            default -> {
                LOG.error("admin request {} on {} failed", requestId, path, e);
                yield ApiError.internal("Internal admin API error; request id " + requestId);
            }
        };
    }
}
