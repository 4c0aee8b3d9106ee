package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.AdminAuth;
import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.config.AdminConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sign-in form is the one dashboard path anyone may post a body to, so it bounds how long the body may take: a
 * client that drips its form a byte at a time (a slow-loris) gets a 408 and its connection closed, instead of holding
 * the connection, and a place under the listener's connection bound, for as long as it keeps dripping.
 */
class SignInFormTest {
    private static final long TIMEOUT_MS = 400;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void aFormDrippedSlowerThanTheBoundIsA408AndTheConnectionCloses() throws Exception {
        Dashboard d = new Dashboard(vertx, new AdminAuth(new AdminConfig(List.of(new AdminConfig.AdminKey("read-key-0123456789", "read", "v"))), new CredentialGuesses()),
                new DashboardSessions(Clock.systemUTC()), (call, params, now) -> null, new DataWorkers(vertx, 1), TIMEOUT_MS);
        HttpServer server = vertx.createHttpServer().requestHandler(d::handle).listen(0, "127.0.0.1").await();
        try (Socket s = new Socket("127.0.0.1", server.actualPort())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /admin/dashboard/signin HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/x-www-form-urlencoded\r\n"
                    + "content-length: 1000\r\n\r\nkey=").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            // Each byte comes well inside the bound, so only a bound on the whole form (not on silence) ends this.
            for (int i = 0; i < 40 && in.available() == 0; i++) {
                Thread.sleep(TIMEOUT_MS / 8);
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
            }
            String answer = readToEnd(in);
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"type\":\"request_timeout\"").containsIgnoringCase("connection: close");
            assertThat(answer).doesNotContainIgnoringCase("set-cookie");
        }
    }

    @Test
    void anAddressOutOfGuessesIsSentBackThrottledEvenWithTheRightKey() throws Exception {
        CredentialGuesses guesses = new CredentialGuesses();
        String key = "read-key-0123456789";
        Dashboard d = new Dashboard(vertx, new AdminAuth(new AdminConfig(List.of(new AdminConfig.AdminKey(key, "read", "v"))), guesses),
                new DashboardSessions(Clock.systemUTC()), (call, params, now) -> null, new DataWorkers(vertx, 1), 5_000);
        HttpServer server = vertx.createHttpServer().requestHandler(d::handle).listen(0, "127.0.0.1").await();
        assertThat(signIn(server.actualPort(), key)).contains("location: /admin/dashboard/\r\n").containsIgnoringCase("set-cookie");
        for (int i = 0; i < 100; i++) {
            guesses.wrong("127.0.0.1"); // as the admin API or this form would count them
        }
        String answer = signIn(server.actualPort(), key);
        assertThat(answer).startsWith("HTTP/1.1 303").contains("location: /admin/dashboard/signin?error=throttled")
                .doesNotContainIgnoringCase("set-cookie");
        assertThat(guesses.refusedTotal()).isEqualTo(1);
    }

    private static String signIn(int port, String key) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            String form = "key=" + key;
            s.getOutputStream().write(("POST /admin/dashboard/signin HTTP/1.1\r\nHost: 127.0.0.1\r\nconnection: close\r\n"
                    + "content-type: application/x-www-form-urlencoded\r\ncontent-length: " + form.length() + "\r\n\r\n" + form)
                    .getBytes(StandardCharsets.US_ASCII));
            return readToEnd(s.getInputStream());
        }
    }

    /** Everything until the server closes the connection (a read timeout fails the test: the connection was kept). */
    private static String readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) >= 0; ) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.US_ASCII);
    }
}
