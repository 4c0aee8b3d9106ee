package dev.sluice.signin;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * A real OpenID Connect provider for tests: mock-oauth2-server (an OAuth2/OIDC server built for
 * tests, from Maven Central) in its own JVM, with its interactive login form on.
 *
 * <p>Why a separate JVM: it is built on OkHttp 4's MockWebServer, while the gateway's OpenTelemetry
 * exporter brings OkHttp 5 onto the same classpath, and the two cannot share one. The child gets the
 * test classpath without OkHttp 5, so it runs the provider exactly as published.
 */
public final class IdpProcess implements AutoCloseable {
    public static final String ISSUER_ID = "corp";
    private final Process process;
    private final int port;
    private final Path log;

    private IdpProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static IdpProcess start() {
        // The port is free when picked but the child binds it a second later; on a shared machine another
        // process (or an outgoing connection's ephemeral port) can take it first. Then try another port.
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce();
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private static IdpProcess startOnce() {
        try {
            int port = freePort();
            String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(p -> !p.contains("okhttp-jvm"))
                    .collect(Collectors.joining(File.pathSeparator));
            String java = ProcessHandle.current().info().command().orElse("java");
            Path log = Files.createTempFile("mock-oauth2-server", ".log");
            ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", cp,
                    "no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("SERVER_HOSTNAME", "127.0.0.1");
            pb.environment().put("SERVER_PORT", Integer.toString(port));
            pb.environment().put("JSON_CONFIG", "{\"interactiveLogin\":true}");
            IdpProcess idp = new IdpProcess(pb.start(), port, log);
            idp.awaitReady();
            return idp;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start mock-oauth2-server", e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + port + "/" + ISSUER_ID;
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                break;
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            sleep();
        }
        close();
        throw new IllegalStateException("mock-oauth2-server did not start; its log:\n" + readLog());
    }

    private String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
