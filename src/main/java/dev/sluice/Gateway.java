package dev.sluice;

import dev.sluice.admin.AdminApi;
import dev.sluice.admin.AdminParts;
import dev.sluice.admin.SessionRevoker;
import dev.sluice.admin.dashboard.Dashboard;
import dev.sluice.authenticate.AuthenticateStage;
import dev.sluice.cache.report.CacheAdmin;
import dev.sluice.cache.stage.CacheService;
import dev.sluice.cache.stage.CacheStage;
import dev.sluice.cache.stage.FeedbackEndpoint;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.ServerConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.front.ApiRoute;
import dev.sluice.front.ConnectionCap;
import dev.sluice.front.Drain;
import dev.sluice.front.ExtraRoute;
import dev.sluice.front.FrontServer;
import dev.sluice.front.Refusals;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.front.openai.AutoBreakpointStage;
import dev.sluice.front.openai.OpenAiProtocol;
import dev.sluice.front.openai.responses.ResponsesProtocol;
import dev.sluice.front.vertex.VertexClientProtocol;
import dev.sluice.inspect.InspectStage;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Stage;
import dev.sluice.provider.catalog.ModelListStage;
import dev.sluice.record.CallEndpoint;
import dev.sluice.record.CallLookup;
import dev.sluice.record.RecordStage;
import dev.sluice.respond.ClientResponder;
import dev.sluice.route.RouteStage;
import dev.sluice.route.RoutingStatus;
import dev.sluice.settle.SettleStage;
import dev.sluice.store.DataDir;
import dev.sluice.upstream.AttemptLoop;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running gateway from a configuration: the stages in pipeline order (written here and
 * nowhere else), the attempt loop and responder, the front doors, and one front server per event loop.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final Components components;
    private final int port;
    private final String host;
    private final boolean tls;
    private final int adminPort;
    private final Drain drain;
    private Future<Void> stopping;

    private Gateway(Vertx vertx, Components components, String host, int port, boolean tls, int adminPort, Drain drain) {
        this.vertx = vertx;
        this.drain = drain;
        this.components = components;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.adminPort = adminPort;
    }

    /** Starts a gateway on a configuration that is not read from a file (tests, tools). */
    public static Future<Gateway> start(SluiceConfig config) {
        return start(config, null, ConfigLoader.fromEnvironment());
    }

    /**
     * Starts the gateway; the future completes when it accepts connections. Reloads re-read
     * {@code file} (null: the configuration is applied only through the admin API) with {@code loader}.
     */
    public static Future<Gateway> start(SluiceConfig config, Path file, ConfigLoader loader) {
        int loops = config.server().effectiveEventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        logTransport(vertx);
        Components parts;
        try {
            parts = new Components(config, file, loader, Clock.systemUTC(), vertx); // budgets' Redis link needs the Vert.x
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        int port = config.server().port() == 0 ? freePort() : config.server().port();
        parts.cache.start(vertx);
        parts.semantic.start(vertx);
        List<Stage> stages = stages(parts);
        parts.routing.startChecks(vertx, parts.live::current);
        List<ExtraRoute> routes = new ArrayList<>(parts.telemetry.routes());
        if (parts.signin != null) {
            routes.addAll(parts.signin.routes(vertx));
        }
        routes.add(parts.budgets.usageRoute(parts.callers, parts.signin));
        AdminParts adminParts = new AdminParts(parts.identities, parts.registry, parts.reports,
                config.admin(), parts.live, parts.telemetry::auditChange,
                parts.budgets.admin(parts.identities, parts.telemetry::auditChange),
                new CacheAdmin(parts.cache, parts.database, () -> parts.live.current().get(SettleStage.METER)),
                parts.signin == null ? null : SessionRevoker.of(parts.signin::revokeUser, parts.signin::forgetIdpAccount),
                parts.adminGuesses);
        ExtraRoute admin = AdminApi.route(vertx, adminParts);
        // Operator endpoints follow the admin API: on its own listener when admin.listen sets one (issue 12). The
        // dashboard comes first: its paths are under /admin, which the admin API would otherwise take.
        List<ExtraRoute> operator = List.of(Dashboard.route(vertx, adminParts, parts.database), admin,
                RoutingStatus.route(parts.live, parts.routing, parts.adminGuesses));
        if (config.admin().listen() == null) {
            routes.addAll(operator);
        }
        routes.add(FeedbackEndpoint.route(parts.live, parts.callers, parts.semantic.signals(), parts.adminGuesses));
        routes.add(parts.batches.route()); // Anthropic Message Batches, beside the pipeline: see dev.sluice.batches
        routes.add(CallEndpoint.route(vertx, parts.live, parts.callers, parts.ledger, new CallLookup(parts.database.dataSource())));
        // The OpenAI door first: it shares GET /v1/models with Anthropic's and takes only requests without anthropic-version.
        List<ApiRoute> api = new ArrayList<>(OpenAiProtocol.routes());
        api.addAll(ResponsesProtocol.routes());
        api.addAll(AnthropicProtocol.routes());
        api.addAll(VertexClientProtocol.routes()); // after Anthropic's: its hot path never meets them
        api.addAll(dev.sluice.front.bedrock.BedrockDoor.routes()); // so are these
        warnIfExposed(parts, config, port);
        Refusals refusals = new Refusals(path -> AnthropicProtocol.INSTANCE, AnthropicProtocol::unsupported);
        Drain drain = new Drain();
        ConnectionCap apiCap = new ConnectionCap(); // one for the listener's event loops together
        int adminPort = config.admin().listen() == null ? -1 : config.admin().listenPort() == 0 ? freePort() : config.admin().listenPort();
        return vertx.deployVerticle(
                        () -> new FrontServer(config.server(), port, parts.live,
                                v -> new Pipeline(stages, new AttemptLoop(v, Components.PROVIDERS), new ClientResponder(v)),
                                api, routes, refusals, parts.ledger::writing, parts.frontStats, drain, apiCap),
                        new DeploymentOptions().setInstances(loops))
                .compose(id -> adminPort < 0 ? Future.succeededFuture(id)
                        : vertx.deployVerticle(adminServer(config, adminPort, parts, operator, refusals, drain)))
                .map(id -> new Gateway(vertx, parts, config.server().host(), port, config.server().tls().enabled(), adminPort, drain))
                .onFailure(e -> vertx.close().onComplete(x -> parts.close()));
    }

    /**
     * Issue 12: the admin API on a listener of its own ({@code admin.listen}), one front server on one event loop that
     * serves only {@code /admin}, {@code /sluice/v1/routing} (and the probes), with the front's limits, timeouts and TLS.
     */
    private static FrontServer adminServer(SluiceConfig config, int adminPort, Components parts, List<ExtraRoute> operator,
                                           Refusals refusals, Drain drain) {
        ServerConfig s = config.server();
        ServerConfig own = new ServerConfig(config.admin().listenHost(), adminPort, s.bodyLimit(), 1, s.bodyTimeout(), s.headerTimeout(),
                s.idleTimeout(), s.bodiesInFlight(), s.tls(), s.shutdownGrace(), s.maxConnections());
        return new FrontServer(own, adminPort, parts.live, v -> null, List.of(), operator, refusals, () -> true, parts.frontStats, drain,
                new ConnectionCap()); // the operator's listener has its own bound: it still answers while the API's is full
    }

    /**
     * Compiles everything a gateway would from {@code config} (routes, prices, providers...) without
     * starting one; throws the {@link dev.sluice.config.ConfigException} a start or reload would.
     */
    public static void check(SluiceConfig config) {
        LiveConfig.fixed(config, Components.parts());
    }

    /**
     * The request pipeline, in the order a request meets it. Request hooks run top to bottom;
     * attempt-end, response and completion hooks bottom to top, so settle prices an attempt before
     * record writes it, budget counts the exchange, and telemetry (traces, metrics, audit line)
     * sees the final numbers last. Guard comes right after inspect: it scans the canonical body whichever door it came
     * in by, before anything is routed or forwarded. Budget comes after route: it prices the served model.
     *
     * <p>The response cache is listed last but acts as the stage right after budget: record and settle do nothing
     * on the way in (their work is in the attempt, response and completion hooks), so nothing runs between the
     * budget's admission and the cache's lookup. Listed after them, a hit, which stops the request at the cache,
     * still gets record's ledger line (attempt 0) and settle's headers, because the later hooks run only for the
     * stages a request entered. A caller the budget refuses is refused even when the answer is cached.
     */
    static List<Stage> stages(Components parts) {
        List<Stage> stages = new ArrayList<>();
        stages.add(parts.telemetry.stage());
        stages.add(new AuthenticateStage(parts.callers));
        stages.add(new InspectStage(parts.bodies));
        stages.add(parts.guard); // issue 12: right after inspection, before sign-in's policy, routing or anything forwarded
        if (parts.signin != null) {
            stages.add(parts.signin.stage()); // signed-in developers: model policy, usage notices
        }
        stages.add(new RouteStage(parts.routing));
        if (parts.signin != null) {
            stages.add(parts.signin.servedModelCheck()); // the model policy against what the route will serve, fallbacks too
        }
        stages.add(new ModelListStage()); // /v1/models from the catalog for upstreams without a listing of their own
        stages.add(parts.budgets.stage()); // after route: prices (and may degrade) the served model
        stages.add(new AutoBreakpointStage()); // OpenAI door to Claude: prompt-cache breakpoints for the served model
        stages.add(new RecordStage(parts.ledger, parts.inFlight));
        stages.add(new SettleStage());
        stages.add(new CacheStage(parts.cache)); // in effect right after budget: see above
        return List.copyOf(stages);
    }

    /** Which socket layer serves: io_uring where the kernel (or a container's seccomp profile) allows it, else NIO. */
    private static void logTransport(Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("sockets on io_uring");
        } else {
            Throwable why = vertx.unavailableNativeTransportCause();
            LOG.info("sockets on Java NIO (io_uring {})", why == null ? "turned off" : "unavailable: " + why.getMessage());
        }
    }

    private static void warnIfExposed(Components parts, SluiceConfig config, int port) {
        if (parts.callers.open(parts.live.current())) {
            LOG.warn("OPEN MODE: no gateway keys are configured, so anyone who can reach {}:{} can use this gateway."
                    + " Issue keys (sluice keys create) or set auth.keys before sharing it.", config.server().host(), port);
        }
        if (DataDir.readableByOthers(config.store().dataDir())) {
            LOG.warn("the data dir {} is readable by other users of this host; it holds the ledger, key digests and the audit"
                    + " log (prompts too with telemetry.log-content): chmod 700 it", config.store().dataDir().toAbsolutePath());
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return port;
    }

    /** The admin API's own port ({@code admin.listen}), or -1 when it shares the gateway's. */
    public int adminPort() {
        return adminPort;
    }

    public String baseUrl() {
        return (tls ? "https://" : "http://") + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Sign-in (Claude Code's gateway protocol), or null when {@code signin.enabled} is off. */
    public dev.sluice.signin.Signin signin() {
        return components.signin;
    }

    /** The response cache's long-lived side (store, counters, write guard, prompt-prefix statistics). */
    public CacheService cache() {
        return components.cache;
    }

    /** The live configuration (reload, rollback, current snapshot). */
    public LiveConfig live() {
        return components.live;
    }

    /**
     * A graceful stop (SIGTERM, a deploy): new requests are refused and {@code /readyz} says draining at once, idle
     * connections close, and what is in flight runs on for {@code server.shutdown-grace} (read now, so a reload sets
     * it). Streams still running then end with an {@code event: error} and their ledger records; once every exchange
     * is over (or {@link #CUT_WAIT} after the cut), the event loops close, then the long-lived parts, ledger last.
     * Calling it again returns the same stop.
     */
    public Future<Void> stop() {
        return stop(components.live.current().config().server().shutdownGrace());
    }

    /** {@link #stop()} with its own grace (tools and tests; {@link Duration#ZERO} cuts what is in flight at once). */
    public synchronized Future<Void> stop(Duration grace) {
        if (stopping == null) {
            CompletableFuture<Void> drained = drain.begin();
            if (!drained.isDone()) {
                LOG.info("stopping: {} request(s) in flight, waiting up to {} s for them to finish", drain.inFlight(), grace.toSeconds());
            }
            CompletableFuture<Void> over = drained.copy().completeOnTimeout(null, grace.toMillis(), TimeUnit.MILLISECONDS)
                    .thenComposeAsync(v -> drained.isDone() ? drained : cut())
                    .thenApplyAsync(v -> v); // off the event loop that ended the last exchange: closing blocks
            stopping = Future.fromCompletionStage(over).eventually(vertx::close).eventually(() -> {
                components.close();
                return Future.succeededFuture();
            });
        }
        return stopping;
    }

    /** After the cut, how long the cut exchanges get to write their last event and records before the loops close. */
    static final Duration CUT_WAIT = Duration.ofSeconds(5);

    /** How long a stop may take at most: the grace, the cut, and closing (the ledger's flush included). */
    public Duration stopBound() {
        return components.live.current().config().server().shutdownGrace().plus(CUT_WAIT).plus(Duration.ofSeconds(20));
    }

    private CompletableFuture<Void> cut() {
        LOG.warn("stopping: the shutdown grace is over; ending {} request(s) still in flight with an error", drain.cut());
        return drain.idle().copy().completeOnTimeout(null, CUT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
}
