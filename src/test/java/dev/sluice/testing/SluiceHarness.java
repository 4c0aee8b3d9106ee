package dev.sluice.testing;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimRecorder;
import dev.sluice.sim.SimServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A running pair for end-to-end tests: a simulated Anthropic upstream ({@link SimServer}) on a random
 * port and a real {@link Gateway} on another, configured from a YAML string.
 *
 * <p>The YAML goes through {@link ConfigLoader#parse} with a made-up environment holding
 * {@code SIM_URL}, {@code CLOSED_URL} (a port nothing listens on), {@code GATEWAY_KEY} and
 * {@code UPSTREAM_KEY}, so configurations refer to them as {@code ${SIM_URL}} and so on.
 */
public final class SluiceHarness implements AutoCloseable {
    /** The key clients present to the gateway. */
    public static final String GATEWAY_KEY = "sk-sluice-test-0123456789";
    /** The credential the gateway presents to the simulator. */
    public static final String UPSTREAM_KEY = "sk-ant-upstream-test-abcdef";
    /** A model the simulator knows. */
    public static final String MODEL = "claude-sonnet-4-5-20250929";

    /** Gateway and simulator on one sim upstream with one gateway key; append sections for more. */
    public static final String BASE_YAML = """
            server:
              port: 0
              event-loops: 1
            auth:
              keys: ["${GATEWAY_KEY}"]
            upstreams:
              - name: sim
                base-url: ${SIM_URL}
                keys:
                  - alias: primary
                    value: ${UPSTREAM_KEY}
            """;

    /**
     * The {@code upstreams:} section of the OpenAI-door tests: the simulator twice, as Anthropic ({@code anthropic},
     * key alias {@code primary}) and as an OpenAI server ({@code openai}, alias {@code openai-main}).
     */
    public static final String ANTHROPIC_AND_OPENAI_UPSTREAMS = """
            upstreams:
              - name: anthropic
                base-url: ${SIM_URL}
                keys: [{alias: primary, value: "${UPSTREAM_KEY}"}]
              - name: openai
                provider: openai
                base-url: ${SIM_URL}
                keys: [{alias: openai-main, value: sk-openai-test-1}]
            """;

    /** One Vert.x for every simulator of the run; each gateway brings its own, as in production. */
    private static final Vertx SIM_VERTX = Vertx.vertx();

    private final SimServer sim;
    private final Gateway gateway;
    private final SluiceConfig config;

    private SluiceHarness(SimServer sim, Gateway gateway, SluiceConfig config) {
        this.sim = sim;
        this.gateway = gateway;
        this.config = config;
    }

    /** Starts a simulator (one event loop) and a gateway configured with {@code yaml}. */
    public static SluiceHarness start(String yaml) {
        return start(yaml, SimOptions.defaults().withInstances(1));
    }

    public static SluiceHarness start(String yaml, SimOptions simOptions) {
        SimServer sim = await(SimServer.start(SIM_VERTX, simOptions));
        try {
            ConfigLoader loader = loader(sim.baseUrl());
            SluiceConfig config = loader.parse("test.yaml", yaml);
            return new SluiceHarness(sim, startGateway(config, loader), config);
        } catch (RuntimeException | Error e) {
            await(sim.close());
            throw e;
        }
    }

    /**
     * A simulator alone (one event loop), for a test that starts its gateway itself: as a process, from a file, or
     * again and again on one data folder. Close it with {@code sim.close().await()}.
     */
    public static SimServer startSim() {
        return await(SimServer.start(SIM_VERTX, SimOptions.defaults().withInstances(1)));
    }

    /** Port 0 makes the gateway pick a free port and then bind it; another process may win that race: retry. */
    private static Gateway startGateway(SluiceConfig config, ConfigLoader loader) {
        for (int attempt = 1; ; attempt++) {
            try {
                return await(Gateway.start(config, null, loader));
            } catch (RuntimeException e) {
                if (attempt == 3 || !dev.sluice.front.AddressInUse.causes(e)) {
                    throw e;
                }
            }
        }
    }

    /** Parses {@code yaml} the way the gateway would, with the harness's variables. */
    public static SluiceConfig config(String yaml, String simUrl) {
        return loader(simUrl).parse("test.yaml", yaml);
    }

    /** A loader with the harness's variables, also for configurations applied while the gateway runs. */
    public static ConfigLoader loader(String simUrl) {
        Map<String, String> env = Map.of(
                "SIM_URL", simUrl,
                "CLOSED_URL", "http://127.0.0.1:" + closedPort(),
                "GATEWAY_KEY", GATEWAY_KEY,
                "UPSTREAM_KEY", UPSTREAM_KEY);
        return new ConfigLoader(env);
    }

    /** A port that was free a moment ago and that nothing listens on. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String gatewayUrl() {
        return gateway.baseUrl();
    }

    public int gatewayPort() {
        return gateway.port();
    }

    public String simUrl() {
        return sim.baseUrl();
    }

    public SimRecorder recorder() {
        return sim.recorder();
    }

    public SimServer sim() {
        return sim;
    }

    public Gateway gateway() {
        return gateway;
    }

    public SluiceConfig config() {
        return config;
    }

    @Override
    public void close() {
        try {
            // No grace: what a test left in flight is cut at once, as before graceful stops; a test that means to drain
            // calls gateway().stop() itself first, and this returns that same stop.
            await(gateway.stop(java.time.Duration.ZERO));
        } finally {
            await(sim.close());
        }
    }

    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (Exception e) {
            throw new IllegalStateException("future did not complete: " + e, e);
        }
    }
}
