package dev.sluice;

import dev.sluice.accept.ExtraRoute;
import dev.sluice.admin.AdminApi;
import dev.sluice.accept.FrontServer;
import dev.sluice.accept.InspectStage;
import dev.sluice.authenticate.AuthenticateStage;
import dev.sluice.budget.UsageEndpoint;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Pipeline;
import dev.sluice.pipeline.Replies;
import dev.sluice.pipeline.Stage;
import dev.sluice.provider.AnthropicForwarder;
import dev.sluice.record.CallEndpoint;
import dev.sluice.record.CallLookup;
import dev.sluice.record.RecordStage;
import dev.sluice.route.RouteStage;
import dev.sluice.route.Router;
import dev.sluice.settle.SettleStage;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running gateway from a configuration: the stages in pipeline order (written here and
 * nowhere else), the forwarder, and one front server per event loop.
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final Components components;
    private final int port;
    private final String host;

    private Gateway(Vertx vertx, Components components, String host, int port) {
        this.vertx = vertx;
        this.components = components;
        this.host = host;
        this.port = port;
    }

    /** Starts the gateway; the future completes when it accepts connections. */
    public static Future<Gateway> start(SluiceConfig config) {
        Components parts = new Components(config, Clock.systemUTC());
        int loops = config.server().effectiveEventLoops();
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        int port = config.server().port() == 0 ? freePort() : config.server().port();
        List<Stage> stages = stages(config, parts);
        List<ExtraRoute> routes = new ArrayList<>(parts.telemetry.routes());
        if (parts.signin != null) {
            routes.addAll(parts.signin.routes(vertx)); // issue 13: sign-in endpoints; the lead re-wires them in the new front
        }
        routes.add(UsageEndpoint.route(parts.keys, parts.budget, parts.counters));
        routes.add(AdminApi.route(vertx, parts.identities, parts.registry, parts.reports, config.admin()));
        routes.add(CallEndpoint.route(vertx, parts.keys, parts.ledger, new CallLookup(parts.database.dataSource())));
        warnIfOpen(config, parts, port);
        return vertx.deployVerticle(
                        () -> new FrontServer(config.server(), port,
                                v -> new Pipeline(stages, new AnthropicForwarder(v, config), new Replies()),
                                routes, () -> true),
                        new DeploymentOptions().setInstances(loops))
                .map(id -> new Gateway(vertx, parts, config.server().host(), port))
                .onFailure(e -> vertx.close().onComplete(x -> parts.close()));
    }

    /**
     * The request pipeline, in the order a request meets it. Request hooks run top to bottom;
     * completion hooks bottom to top, so settle prices the exchange, record writes it, budget
     * counts it, and telemetry (traces, metrics, audit line) sees the final numbers last.
     */
    static List<Stage> stages(SluiceConfig config, Components parts) {
        List<Stage> stages = new ArrayList<>(List.of(
                parts.telemetry.stage(),
                new AuthenticateStage(parts.keys, config.auth().open()),
                new InspectStage(config.server()),
                parts.budget,
                new RouteStage(new Router(config)),
                new RecordStage(parts.ledger, parts.inFlight),
                new SettleStage(parts.meter)));
        if (parts.signin != null) {
            stages.add(3, parts.signin.stage()); // issue 13: model policy and usage headers, after inspection
        }
        return List.copyOf(stages);
    }

    private static void warnIfOpen(SluiceConfig config, Components parts, int port) {
        if (parts.keys.isEmpty() || config.auth().open()) {
            LOG.warn("OPEN MODE: no gateway keys are configured, so anyone who can reach {}:{} can use this gateway."
                    + " Issue keys (sluice keys create) or set auth.keys before sharing it.", config.server().host(), port);
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

    public String baseUrl() {
        return "http://" + (host.equals("0.0.0.0") ? "127.0.0.1" : host) + ":" + port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Sign-in (issue 13), or null when {@code signin.enabled} is off. */
    public dev.sluice.signin.Signin signin() {
        return components.signin;
    }

    /** Stops accepting, lets the loops finish, then flushes the ledger and closes the database. */
    public Future<Void> stop() {
        return vertx.close().eventually(() -> {
            components.close();
            return Future.succeededFuture();
        });
    }
}
