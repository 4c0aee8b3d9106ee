package dev.sluice.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real redis-server on a loopback port, in a temporary folder, with no persistence: for the budget counters, the
 * rate limiter and the shared caches. A missing redis-server skips the test on a developer machine and fails it under
 * CI ({@code $CI} set), as every tool-backed test here.
 */
public final class RedisServer implements AutoCloseable {
    private static final List<String> CANDIDATES = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server");

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer start() throws IOException, InterruptedException {
        return start(0);
    }

    /** On {@code port}, or a free one when 0 (to restart a server where its clients expect it). */
    public static RedisServer start(int wanted) throws IOException, InterruptedException {
        String bin = CANDIDATES.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
        if (bin == null) {
            String why = "redis-server not found at " + CANDIDATES + " (apt-get install redis-server)";
            if (System.getenv("CI") != null) {
                throw new AssertionError(why + " (CI is set, so this is a failure)");
            }
            Assumptions.abort(why);
        }
        int port = wanted;
        if (port == 0) {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
        }
        Path dir = Files.createTempDirectory("sluice-redis");
        Process p = new ProcessBuilder(bin, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--protected-mode", "yes", "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return new RedisServer(p, port);
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s; log: "
                + Files.readString(dir.resolve("redis.log")));
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Runs {@code redis-cli} against it (to do what an operator, an eviction or a failover would); its output. */
    public String cli(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out.trim();
    }

    /** Stops it with SIGTERM and waits (Redis going away, to be started again with {@link #start(int)}). */
    public void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Stops it hard, as a crashed Redis would be. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }
}
