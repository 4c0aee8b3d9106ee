package dev.sluice.testing;

import dev.sluice.Gateway;
import dev.sluice.sim.SimServer;
import java.nio.file.Path;

/**
 * An in-process gateway with its store in a data folder, in front of its own simulator, that a test stops and starts
 * again on the same folder: for what the store keeps across a restart and what the next start rebuilds from it (a
 * batch's ledger rows, its budget holds). Between {@link #stop()} and {@link #start()} the test may change the store
 * as a crash would have left it. The configuration is the caller's, with {@code store.data-dir} set to the folder.
 */
public final class RestartableGateway implements AutoCloseable {
    private final SimServer sim;
    private final String yaml;
    private final Path data;
    private Gateway gateway;

    private RestartableGateway(SimServer sim, String yaml, Path data) {
        this.sim = sim;
        this.yaml = yaml;
        this.data = data;
    }

    /**
     * Starts a simulator and a gateway on {@code yaml} (with the harness's variables, such as {@code ${SIM_URL}}), its
     * store in {@code data}; {@code yaml} holds no {@code store:} section of its own.
     */
    public static RestartableGateway start(String yaml, Path data) {
        RestartableGateway g = new RestartableGateway(SluiceHarness.startSim(), yaml + "store: {data-dir: \"" + data + "\"}\n",
                data);
        try {
            g.start();
            return g;
        } catch (RuntimeException | Error e) {
            g.close();
            throw e;
        }
    }

    /** Starts the gateway again on the same folder (after {@link #stop()}). */
    public void start() {
        if (gateway != null) {
            throw new IllegalStateException("the gateway is running: stop() it first");
        }
        gateway = SluiceHarness.await(Gateway.start(SluiceHarness.config(yaml, sim.baseUrl()), null,
                SluiceHarness.loader(sim.baseUrl())));
    }

    /** Stops the gateway as an operator would (its stores flushed and closed); the simulator keeps running. */
    public void stop() {
        Gateway running = gateway;
        gateway = null;
        SluiceHarness.await(running.stop());
    }

    /** {@link #stop()}, then {@link #start()}. */
    public void restart() {
        stop();
        start();
    }

    public String url() {
        return gateway.baseUrl();
    }

    public Path data() {
        return data;
    }

    @Override
    public void close() {
        try {
            if (gateway != null) {
                stop();
            }
        } finally {
            SluiceHarness.await(sim.close());
        }
    }
}
