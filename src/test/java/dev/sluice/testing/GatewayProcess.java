package dev.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice serve} as a real child process ({@link ChildJvm}) in front of a simulator, for what only the end of a
 * process shows (a SIGTERM drain, what a SIGKILL leaves to the next start). It writes {@code sluice.yaml} into a
 * folder, with its store in {@code data/} there, so a second start on the same folder finds what the first left.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final String CONFIG = """
            server: {port: %d, event-loops: 1%s}
            upstreams: [{name: sim, base-url: "%s", keys: [{alias: k, value: sk-sim}]}]
            store: {data-dir: "%s"}
            telemetry: {metrics: false}
            """;
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "--enable-native-access=ALL-UNNAMED");

    private final Process process;
    private final int port;

    private GatewayProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts the gateway with its store in {@code dir/data} and returns once it listens. */
    public static GatewayProcess start(Path dir, String simUrl) throws IOException {
        return start(dir, simUrl, "");
    }

    /** The same with more {@code server:} settings, such as {@code "shutdown-grace: 20s"}. */
    public static GatewayProcess start(Path dir, String simUrl, String serverSettings) throws IOException {
        int port = SluiceHarness.closedPort();
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, CONFIG.formatted(port, serverSettings.isEmpty() ? "" : ", " + serverSettings, simUrl,
                dataDir(dir)));
        Process process = ChildJvm.builder(JVM_OPTIONS, Main.class, "serve", "-c", config.toString()).redirectErrorStream(true)
                .start();
        awaitListening(process);
        return new GatewayProcess(process, port);
    }

    /**
     * The same behind the harness's gateway key ({@link SluiceHarness#GATEWAY_KEY}, so the caller has the identity a
     * static key gets), with {@code moreYaml}'s top-level sections added (such as {@code budgets:}).
     */
    public static GatewayProcess startKeyed(Path dir, String simUrl, String moreYaml) throws IOException {
        int port = SluiceHarness.closedPort();
        String yaml = CONFIG.formatted(port, "", simUrl, dataDir(dir)) + "auth: {keys: [\"" + SluiceHarness.GATEWAY_KEY + "\"]}\n"
                + moreYaml;
        return start(dir, yaml, port, JVM_OPTIONS);
    }

    /**
     * A gateway on the caller's whole configuration ({@code yaml}, written to {@code dir/sluice.yaml}; it must listen
     * on {@code port}), started with {@code jvmOptions} instead of this class's: a benchmark that runs the gateway with
     * the launcher's heap and collector settings, apart from the client's and the simulator's garbage.
     */
    public static GatewayProcess start(Path dir, String yaml, int port, List<String> jvmOptions) throws IOException {
        Path config = dir.resolve("sluice.yaml");
        Files.writeString(config, yaml);
        Process process = ChildJvm.builder(jvmOptions, Main.class, "serve", "-c", config.toString()).redirectErrorStream(true).start();
        awaitListening(process);
        return new GatewayProcess(process, port);
    }

    /** The process's id (for tools that attach to it, such as a profiler or jcmd). */
    public long pid() {
        return process.pid();
    }

    /** The store folder of a gateway started on {@code dir}. */
    public static Path dataDir(Path dir) {
        return dir.resolve("data");
    }

    /** Reads the output up to the line saying it listens, then drains the rest so the child never blocks on the pipe. */
    private static void awaitListening(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("Sluice listening on")) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return;
            }
            assertThat(System.nanoTime()).as("gateway start").isLessThan(deadline);
        }
        throw new AssertionError("the gateway process ended before it listened");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGTERM: the shutdown hook drains what is in flight and closes the stores; see {@link #waitFor}. */
    public void sigterm() throws IOException, InterruptedException {
        ChildJvm.sigterm(process);
    }

    /** SIGKILL, and the process is gone: no shutdown hook, no close, no flush beyond what is already in the kernel. */
    public void kill() throws IOException, InterruptedException {
        ChildJvm.sigkill(process);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the killed gateway ended").isTrue();
    }

    /** True when the process ended within {@code seconds}. */
    public boolean waitFor(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** Ends whatever is still running, at once (a test's clean-up; a no-op once the process ended). */
    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
}
