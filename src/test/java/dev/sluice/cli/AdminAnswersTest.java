package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.sluice.testing.CliRun;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the commands that call the admin API print its answers and its failures, against a stand-in admin API. */
class AdminAnswersTest {
    private HttpServer server;
    private String url;
    private final List<String> requests = new ArrayList<>();
    private String out;
    private String err;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().toString();
            requests.add(ex.getRequestMethod() + " " + path);
            int status = 200;
            String body;
            if (path.equals("/admin/config/versions/3")) {
                body = """
                        {"version":3,"applied_at":"2026-11-30T10:00:00Z","who":"ops","source":"admin API","sha256":"ab12",\
                        "diff":"--- version 2\\n+++ version 3\\n@@ -1,1 +1,1 @@\\n-namespace: v3\\n+namespace: v6"}""";
            } else if (path.startsWith("/admin/config/rollback/2")) {
                body = "{\"version\":12,\"previous\":11,\"note\":\"sluice.yaml still holds a newer configuration than version 2\"}";
            } else if (path.startsWith("/admin/budgets/status")) {
                body = """
                        {"standings":[{"budget":"payments","scope":"team payments","line":"budget","spent":0.001827,\
                        "amount":0.004,"metric":"usd","percent":45.7,"resets_at":"2026-12-01T00:00:00Z","blocked":false,\
                        "forecast":{"period_end":0.0018270000000000002,"low":0.001827,"high":0.0031}}]}""";
            } else if (path.equals("/admin/config/reload")) {
                body = "{\"version\":11,\"previous\":11,\"unchanged\":true}";
            } else {
                status = 404;
                body = "{\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"Not found: "
                        + ex.getRequestMethod() + " " + path + "\"}}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private int run(String... args) {
        CliRun r = CliRun.of(args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    @Test
    void configShowPrintsTheDiffAsTextUnlessJson() {
        assertThat(run("config", "show", "3", "--url", url, "--admin-key", "k")).as(err).isZero();
        assertThat(out).contains("version 3, applied 2026-11-30T10:00:00Z by ops").contains("\n-namespace: v3\n+namespace: v6")
                .doesNotContain("\\n");
        assertThat(run("config", "show", "3", "--url", url, "--admin-key", "k", "--json")).isZero();
        assertThat(out).startsWith("{\"version\":3").contains("\\n+namespace: v6");
    }

    @Test
    void rollbackWriteAsksTheGatewayToWriteTheFileAndPrintsItsNote() {
        assertThat(run("config", "rollback", "2", "--write", "--url", url, "--admin-key", "k")).as(err).isZero();
        assertThat(requests).contains("POST /admin/config/rollback/2?write=true");
        assertThat(out).contains("applied: version 12 (was 11)").contains("note: sluice.yaml still holds");
        assertThat(run("reload", "--url", url, "--admin-key", "k")).isZero();
        assertThat(out).startsWith("unchanged: version 11 keeps serving");
    }

    @Test
    void aRouter404OnTheAdminPathPointsAtAdminListen() {
        assertThat(run("config", "versions", "--url", url, "--admin-key", "k")).isEqualTo(1);
        assertThat(err).contains("Not found").contains("admin.listen");
    }

    @Test
    void aUrlThatIsNoGatewayAddressIsSaidToBeOne() {
        // Before: "sluice versions: failed: invalid URI scheme localhost", exit 1, as if the gateway had failed.
        for (String bad : List.of("localhost:8790", "http://a b", "ftp://127.0.0.1:8790", "http://")) {
            assertThat(run("config", "versions", "--url", bad, "--admin-key", "k")).as(err).isEqualTo(2);
            assertThat(err).isEqualTo("sluice: --url " + bad.replaceAll("/+$", "") + ": not a gateway address (expected:"
                    + " http://HOST:PORT or https://HOST:PORT, for example http://127.0.0.1:8787)\n");
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void anUnreachableGatewaySaysWhyNotNull() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertThat(run("config", "rollback", "1", "--url", "http://127.0.0.1:" + port, "--admin-key", "k")).isEqualTo(2);
        assertThat(err).contains("cannot reach http://127.0.0.1:" + port + ": ").doesNotContain(": null")
                .contains("connection refused");
    }

    @Test
    void theBudgetForecastHasThePrecisionOfSpent() {
        assertThat(run("budgets", "status", "--team", "payments", "--url", url, "--admin-key", "k")).as(err).isZero();
        assertThat(out).contains("0.001827 / 0.004 usd").contains("0.001827 (0.001827–0.003100)").doesNotContain("0.00 (0.00");
    }
}
