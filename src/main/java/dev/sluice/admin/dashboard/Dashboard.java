package dev.sluice.admin.dashboard;

import dev.sluice.admin.AdminAuth;
import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.admin.AdminParts;
import dev.sluice.authenticate.Credentials;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.RequestIds;
import dev.sluice.respond.Replies;
import dev.sluice.store.Database;
import dev.sluice.wire.ApiError;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator dashboard under {@code /admin/dashboard}, mounted wherever the admin API is (the main listener, or
 * {@code admin.listen}) and off, like it, when no admin credential is configured (404).
 * <pre>
 * GET  /admin/dashboard/               the page (signed in), else 303 to the sign-in page
 * GET  /admin/dashboard/signin         the sign-in form          POST /admin/dashboard/signin  key=ADMIN_KEY → cookie, 303
 * POST /admin/dashboard/signout        ends the session, clears the cookie, 303 to sign-in
 * GET  /admin/dashboard/assets/NAME    the page's script and style (a fixed list; no authentication, no data)
 * GET  /admin/dashboard/api/CALL       JSON data ({@link DashboardData}): the session cookie or an admin key (either role)
 * </pre>
 * Sign-in takes exactly the admin API's credentials ({@link AdminAuth}); a read key suffices, as the dashboard only
 * reads. The cookie is accepted for nothing but the GETs under this prefix (its {@code Path}), and those change
 * nothing, so a forged cross-site request gains nothing; the form POSTs are refused when a browser says they came
 * from another site. Every answer carries {@link DashboardHttp#secure the security headers}.
 */
public final class Dashboard {
    public static final String PREFIX = "/admin/dashboard";
    static final int MAX_FORM = 4096;
    /** Longest a sign-in or sign-out form may take to arrive: 4 KB, on any link, in far less. */
    static final long FORM_TIMEOUT_MS = 10_000;
    /** A failed sign-in is answered after this long (a timer, not a blocked thread), so guessing keys is slow. */
    static final long FAILED_SIGNIN_DELAY_MS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);

    private final Vertx vertx;
    private final AdminAuth auth;
    private final DashboardSessions sessions;
    private final Data data;
    private final DataWorkers workers;
    private final long formTimeoutMs;
    private final Assets assets = new Assets();

    /** What answers the data calls ({@link DashboardData}); blocking, so it runs on {@link DataWorkers}. */
    interface Data {
        com.fasterxml.jackson.databind.node.ObjectNode answer(String call, MultiMap params, java.time.Instant now);
    }

    Dashboard(Vertx vertx, AdminAuth auth, DashboardSessions sessions, Data data, DataWorkers workers, long formTimeoutMs) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.auth = auth;
        this.sessions = sessions;
        this.data = data;
        this.workers = workers;
        this.formTimeoutMs = formTimeoutMs;
    }

    /** The route to mount before the admin API's (which would otherwise take these paths). */
    public static ExtraRoute route(Vertx vertx, AdminParts parts, Database db) {
        Dashboard d = new Dashboard(vertx, new AdminAuth(parts.config(), parts.guesses()), new DashboardSessions(Clock.systemUTC()),
                new DashboardData(parts, db), new DataWorkers(vertx, DataWorkers.runningFor(db.dataSource())), FORM_TIMEOUT_MS);
        return new ExtraRoute(PREFIX, d::handle);
    }

    void handle(HttpServerRequest req) {
        String requestId = RequestIds.next();
        Replies.commonHeaders(req.response().headers(), requestId, 0);
        DashboardHttp.secure(req);
        String rest = req.path().substring(PREFIX.length());
        try {
            if (auth.isOff()) {
                throw ApiError.notFound("Not found: " + req.method() + " " + Bounds.shown(req.path()));
            }
            if (rest.startsWith("/api/")) {
                api(req, rest.substring("/api/".length()), requestId);
            } else if (rest.startsWith("/assets/")) {
                only(req, HttpMethod.GET);
                asset(req, rest.substring("/assets/".length()));
            } else {
                switch (rest) {
                    case "", "/" -> page(req);
                    case "/signin" -> {
                        if (req.method() == HttpMethod.POST) {
                            SignIn.post(req, auth, sessions, vertx, formTimeoutMs);
                        } else {
                            only(req, HttpMethod.GET);
                            send(req, "signin.html");
                        }
                    }
                    case "/signout" -> {
                        only(req, HttpMethod.POST);
                        SignIn.out(req, sessions, vertx, formTimeoutMs);
                    }
                    default -> throw ApiError.notFound("Not found: " + req.method() + " " + Bounds.shown(req.path()));
                }
            }
        } catch (ApiError e) {
            DashboardHttp.error(req, e, requestId);
        } catch (RuntimeException e) {
            LOG.error("dashboard request {} on {} failed", requestId, req.path(), e);
            DashboardHttp.error(req, ApiError.internal("Internal dashboard error; request id " + requestId), requestId);
        }
    }

    private void page(HttpServerRequest req) {
        only(req, HttpMethod.GET);
        if (sessions.find(DashboardHttp.cookie(req)) == null) {
            DashboardHttp.redirect(req, PREFIX + "/signin");
            return;
        }
        send(req, "index.html");
    }

    private void api(HttpServerRequest req, String call, String requestId) {
        only(req, HttpMethod.GET);
        admitData(req);
        if (!DashboardData.known(call)) {
            throw ApiError.notFound("Not found: GET " + Bounds.shown(req.path()));
        }
        // A copy: the worker must not read the request's own map, which belongs to the event loop.
        MultiMap params = MultiMap.caseInsensitiveMultiMap().addAll(req.params());
        workers.submit(() -> data.answer(call, params, java.time.Instant.now()))
                .onSuccess(json -> DashboardHttp.json(req, json.toString()))
                .onFailure(e -> {
                    ApiError error = switch (e) {
                        case ApiError a -> a;
                        case IllegalArgumentException bad -> ApiError.invalidRequest(bad.getMessage());
                        case Throwable t when dev.sluice.store.Database.unavailable(t) -> {
                            LOG.warn("dashboard data call {} ({}): the database is unavailable: {}", call, requestId, t.toString());
                            yield dev.sluice.admin.AdminApi.databaseAway(requestId);
                        }
                        default -> {
                            LOG.error("dashboard data call {} ({}) failed", call, requestId, e);
                            yield ApiError.internal("Internal dashboard error; request id " + requestId);
                        }
                    };
                    DashboardHttp.error(req, error, requestId);
                });
    }

    /** A data call needs a live session cookie or an admin credential of either role; a wrong credential is a 401. */
    private void admitData(HttpServerRequest req) {
        String presented = Credentials.presented(req.headers());
        if (presented != null) {
            if (auth.check(presented, CredentialGuesses.address(req)) == null) {
                throw ApiError.authentication("invalid admin credential");
            }
            return;
        }
        if (sessions.find(DashboardHttp.cookie(req)) == null) {
            throw ApiError.authentication("sign in at " + PREFIX + "/signin, or send an admin key (Authorization: Bearer)");
        }
    }

    private void asset(HttpServerRequest req, String name) {
        // Only the scripts and the style: the pages themselves go through page() and the sign-in route.
        if (name.endsWith(".html")) {
            throw ApiError.notFound("Not found: GET " + Bounds.shown(req.path()));
        }
        send(req, name);
    }

    private void send(HttpServerRequest req, String name) {
        Assets.Asset a = assets.get(name);
        if (a == null) {
            throw ApiError.notFound("Not found: GET " + Bounds.shown(req.path()));
        }
        var h = req.response().headers();
        h.set("content-type", a.contentType()).set("etag", a.etag());
        h.set("cache-control", name.endsWith(".html") ? "no-store" : "no-cache");
        if (!name.endsWith(".html") && a.etag().equals(req.getHeader("if-none-match"))) {
            req.response().setStatusCode(304).end();
            return;
        }
        req.response().setStatusCode(200).end(io.vertx.core.buffer.Buffer.buffer(a.bytes()));
    }

    private static void only(HttpServerRequest req, HttpMethod method) {
        if (req.method() != method) {
            req.response().headers().set("allow", method.name());
            throw new ApiError(405, "invalid_request_error", req.method() + " is not allowed on " + Bounds.shown(req.path())
                    + " (expected: " + method.name() + ")", false, null);
        }
    }
}
