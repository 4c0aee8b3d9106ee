package dev.sluice.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.HealthConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ActiveChecksTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void failingChecksOpenTheBreakerAndAHealthyOneLetsItProbe() {
        AtomicInteger status = new AtomicInteger(500);
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        HttpServer upstream = vertx.createHttpServer().requestHandler(req -> {
            seen.add(req.method() + " " + req.uri() + " " + req.getHeader("x-api-key") + " " + req.getHeader("anthropic-version"));
            req.response().setStatusCode(status.get()).end("{}");
        }).listen(0, "127.0.0.1").await();
        SluiceConfig config = new ConfigLoader(Map.of()).parse("checks.yaml", """
                upstreams:
                  - {name: up, base-url: "http://127.0.0.1:%d/base", keys: [{alias: k, value: sk-ant-check}, {alias: k2, value: other}]}
                routing:
                  health: {consecutive-failures: 2, open-for: 60s, check: {interval: 1s, timeout: 500ms}}
                """.formatted(upstream.actualPort()));
        Snapshot snapshot = Snapshot.of(config, List.of(Upstreams.PART));
        HealthBoard board = new HealthBoard();
        HealthConfig cfg = config.routing().health();
        ActiveChecks checks = ActiveChecks.start(vertx, () -> snapshot, board, System::currentTimeMillis);
        try {
            Await.until(Duration.ofSeconds(6), () -> board.of("up").state(System.currentTimeMillis()) == TargetHealth.State.OPEN ? true : null,
                    () -> "the breaker opened by failing checks");
            assertThat(seen.peek()).isEqualTo("GET /base/v1/models sk-ant-check 2023-06-01");
            status.set(200);
            Await.until(Duration.ofSeconds(4), () -> board.of("up").state(System.currentTimeMillis()) == TargetHealth.State.HALF_OPEN
                    ? true : null, () -> "a healthy check letting the breaker probe long before open-for (60s)");
            assertThat(board.of("up").acquire(cfg, System.currentTimeMillis())).isTrue();
        } finally {
            checks.stop();
        }
    }

    @Test
    void anUnreachableUpstreamFailsItsCheckWithinTheTimeout() {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("checks.yaml", """
                upstreams: [{name: gone, base-url: "http://127.0.0.1:%d"}]
                routing: {health: {check: {interval: 1s, timeout: 300ms}}}
                """.formatted(dev.sluice.testing.SluiceHarness.closedPort()));
        Snapshot snapshot = Snapshot.of(config, List.of(Upstreams.PART));
        HealthBoard board = new HealthBoard();
        ActiveChecks checks = ActiveChecks.start(vertx, () -> snapshot, board, System::currentTimeMillis);
        try {
            Await.until(Duration.ofSeconds(4), () -> board.of("gone").view(config.routing().health(), System.currentTimeMillis())
                    .failures() > 0 ? true : null, () -> "a failed check counted");
        } finally {
            checks.stop();
        }
    }

    /**
     * An upstream whose check answer never ends (a proxy's stream, an endless page) is healthy by its status, and its
     * body is not held: the check closes the connection instead of reading it until the heap fills (round 21 took a
     * gateway to OutOfMemoryError this way, and the check failed a healthy server by its timeout).
     */
    @Test
    void anEndlessBodyIsNotReadAndTheStatusDecides() {
        AtomicInteger closed = new AtomicInteger();
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        HttpServer upstream = vertx.createHttpServer().requestHandler(req -> {
            HttpServerResponse resp = req.response().setChunked(true).setStatusCode(200);
            long timer = vertx.setPeriodic(5, id -> {
                if (!resp.closed() && !resp.writeQueueFull()) {
                    resp.write(chunk);
                }
            });
            resp.closeHandler(v -> {
                vertx.cancelTimer(timer);
                closed.incrementAndGet();
            });
        }).listen(0, "127.0.0.1").await();
        SluiceConfig config = new ConfigLoader(Map.of()).parse("checks.yaml", """
                upstreams: [{name: endless, base-url: "http://127.0.0.1:%d"}]
                routing: {health: {check: {interval: 1s, timeout: 20s}}}
                """.formatted(upstream.actualPort()));
        Snapshot snapshot = Snapshot.of(config, List.of(Upstreams.PART));
        ActiveChecks checks = new ActiveChecks(vertx, () -> snapshot, new HealthBoard(), System::currentTimeMillis);
        try {
            Boolean healthy = checks.check(snapshot.get(Upstreams.PART).get("endless"), config.routing().health()).await();
            assertThat(healthy).as("a 200 is healthy whatever its body").isTrue();
            Await.until(Duration.ofSeconds(10), () -> closed.get() > 0 ? true : null, () -> "the check closed the endless answer");
        } finally {
            checks.stop();
        }
    }
}
