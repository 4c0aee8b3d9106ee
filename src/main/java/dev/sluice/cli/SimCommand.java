package dev.sluice.cli;

import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sluice sim}: the simulated Anthropic upstream, for demos, load tests and offline work. */
@Command(name = "sim", description = "Run the simulated Anthropic upstream (Messages API, SSE, prompt caching, faults).")
public final class SimCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "8788", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
    int port;
    @Option(names = "--ttft-ms", defaultValue = "0", description = "Time to first token in ms (default: ${DEFAULT-VALUE}).")
    long ttft;
    @Option(names = "--tokens-per-second", defaultValue = "0", description = "Output pace; 0 = as fast as possible.")
    double tps;
    @Option(names = "--output-tokens", defaultValue = "40", description = "Tokens per answer unless max_tokens is lower.")
    int outputTokens;
    @Option(names = "--min-cacheable-tokens", defaultValue = "1024", description = "Shortest prefix the prompt cache keeps.")
    int minCacheable;
    @Option(names = "--fault", description = "Fault for every request, or a comma list of them: 429, 529, 500, too-long, denied, reset,"
            + " cut:N, slow:MS, error-event:N or none.")
    String fault;
    @Option(names = "--canned", description = "Answer a fixed reply without parsing (fastest upstream, for benchmarks).")
    boolean canned;
    @Option(names = "--script", defaultValue = "plan", description = "Who answers: plan (filler, quotes, Read calls) or agent"
            + " (the deterministic coding agent of the team-day experiment).")
    String script;
    @Option(names = "--instances", defaultValue = "0", description = "Event loops (0 = one per core).")
    int instances;

    @Override
    public Integer call() throws Exception {
        if (!script.equals(SimOptions.SCRIPT_PLAN) && !script.equals(SimOptions.SCRIPT_AGENT)) {
            throw new CliException("--script: " + script + " (expected: " + SimOptions.SCRIPT_PLAN + " or " + SimOptions.SCRIPT_AGENT + ")");
        }
        if (port < 0 || port > 65_535) {
            throw new CliException("--port: " + port + " (expected: 0 to 65535)");
        }
        SimOptions o = SimOptions.defaults().withHost(host).withPort(port).withTtftMillis(ttft).withTokensPerSecond(tps)
                .withDefaultOutputTokens(outputTokens).withMinCacheableTokens(minCacheable).withDefaultFault(fault)
                .withCanned(canned).withScript(script);
        if (instances > 0) {
            o = o.withInstances(instances);
        }
        Vertx vertx = Vertx.vertx();
        SimServer sim = SimServer.start(vertx, o).await();
        System.out.println("Simulated Anthropic upstream on " + sim.baseUrl() + (canned ? " (canned replies)" : ""));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            vertx.close();
            stopped.countDown();
        }, "sim-shutdown"));
        stopped.await();
        return 0;
    }
}
