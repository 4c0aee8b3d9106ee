package dev.sluice.sim;

import static java.util.Objects.requireNonNull;

import dev.sluice.front.AddressInUse;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.UUID;

/**
 * A running simulated Anthropic upstream. Start it, point a client or the gateway at {@link #baseUrl()},
 * inspect {@link #recorder()}, then {@link #close()}.
 *
 * <p>All {@code instances} verticles listen on one port; Vert.x shares the socket among servers bound to
 * the same host and concrete port and spreads connections over their event loops. It never shares a
 * port-0 server, so for a random port the simulator first asks the OS for a free port, then binds all
 * instances to it (retrying if another process took it in between).
 */
public final class SimServer {

    private static final int BIND_ATTEMPTS = 3;

    private final Vertx vertx;
    private final SimContext sim;
    private final int port;
    private final String deploymentId;

    private SimServer(Vertx vertx, SimContext sim, int port, String deploymentId) {
        this.vertx = vertx;
        this.sim = sim;
        this.port = port;
        this.deploymentId = deploymentId;
    }

    /** Starts a simulator on {@code vertx}; completes once every instance listens. */
    public static Future<SimServer> start(Vertx vertx, SimOptions options) {
        return start(vertx, options, System::nanoTime);
    }

    /**
     * Starts a simulator whose prompt cache expires entries by {@code nanoTime} instead of the system clock, so a
     * scenario can run a day's 5-minute and 1-hour cache dynamics in minutes (the team-day experiment).
     */
    public static Future<SimServer> start(Vertx vertx, SimOptions options, java.util.function.LongSupplier nanoTime) {
        requireNonNull(vertx, "vertx");
        requireNonNull(options, "options");
        requireNonNull(nanoTime, "nanoTime");
        SimContext sim;
        try {
            sim = new SimContext(options, new SimRecorder(), new PromptCache(options.minCacheableTokens(), nanoTime::getAsLong),
                    ModelCatalog.load(), UUID.randomUUID().toString());
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        return deploy(vertx, sim, BIND_ATTEMPTS);
    }

    private static Future<SimServer> deploy(Vertx vertx, SimContext sim, int attemptsLeft) {
        SimOptions options = sim.options();
        int port;
        try {
            port = options.port() != 0 ? options.port() : freePort(options.host());
        } catch (UncheckedIOException e) {
            return Future.failedFuture(e);
        }
        return vertx.deployVerticle(() -> new SimVerticle(sim, port), new DeploymentOptions().setInstances(options.instances()))
                .map(id -> new SimServer(vertx, sim, port, id))
                .recover(failure -> AddressInUse.causes(failure) && options.port() == 0 && attemptsLeft > 1
                        ? deploy(vertx, sim, attemptsLeft - 1)
                        : Future.failedFuture(failure));
    }

    /** A port free right now on {@code host}; the OS picks it. */
    private static int freePort(String host) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + host, e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code http://<host>:<port>}, e.g. {@code http://127.0.0.1:41234}. */
    public String baseUrl() {
        return "http://" + sim.options().host() + ":" + port;
    }

    public SimRecorder recorder() {
        return sim.recorder();
    }

    public SimOptions options() {
        return sim.options();
    }

    /**
     * Steering headers ({@code x-sim-fault}, {@code x-sim-event-gap-ms}...) applied to every request that does not
     * carry the same header, until replaced; an empty map clears them. For tests through adapters that send no
     * client headers on (Bedrock, OpenAI).
     */
    public void standingDirectives(java.util.Map<String, String> directives) {
        sim.providers().standing(directives);
    }

    /** Forgets every prompt-cache entry of every upstream key (the recorder is untouched). */
    public void clearPromptCache() {
        sim.promptCache().clear();
    }

    /** Stops listening and closes open connections. */
    public Future<Void> close() {
        return vertx.undeploy(deploymentId);
    }
}
