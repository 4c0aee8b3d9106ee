package dev.sluice.admin.dashboard;

import dev.sluice.authenticate.CredentialGuesses;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.AdminAuth;
import dev.sluice.config.AdminConfig;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Many data calls at once from one read key (a script, or someone holding F5 on a 30-day page) run a few at a time on
 * the dashboard's own workers and past a short line get a retryable 503: they never take the Vert.x workers the request
 * path's blocking work uses, nor more than half the database pool. Before, every call took a shared worker and a
 * connection: sixty 30-day calls held a developer's request lookup for 52 s.
 */
class DataWorkersTest {
    private static final String READER = "read-key-0123456789";
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        vertx.close().await();
    }

    @Test
    void dataCallsRunAFewAtATimeAndPastTheLineAreRefused() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Dashboard.Data slow = (call, params, now) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            started.incrementAndGet();
            try {
                release.await(30, TimeUnit.SECONDS); // a long spend scan
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return Json.MAPPER.createObjectNode().put("ok", true);
        };
        Dashboard d = new Dashboard(vertx, new AdminAuth(new AdminConfig(List.of(new AdminConfig.AdminKey(READER, "read", "viewer"))), new dev.sluice.authenticate.CredentialGuesses()),
                new DashboardSessions(Clock.systemUTC()), slow, new DataWorkers(vertx, DataWorkers.MAX_RUNNING), Dashboard.FORM_TIMEOUT_MS);
        HttpServer server = vertx.createHttpServer().requestHandler(d::handle).listen(0, "127.0.0.1").await();

        int calls = 40;
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < calls; i++) {
                answers.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort()
                        + "/admin/dashboard/api/summary?period=30d")).header("authorization", "Bearer " + READER).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            int overflow = calls - DataWorkers.MAX_RUNNING - DataWorkers.MAX_WAITING;
            List<HttpResponse<String>> refused = new ArrayList<>();
            while (refused.size() < overflow) { // the refusals come at once, while the admitted calls still run
                refused.clear();
                answers.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join).forEach(refused::add);
                Thread.sleep(20);
            }
            assertThat(refused).hasSize(overflow).allSatisfy(r -> {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("retry-after")).hasValue("1");
                assertThat(r.headers().firstValue("x-should-retry")).hasValue("true");
                assertThat(r.body()).contains("\"type\":\"overloaded_error\"");
            });
            // The shared workers are free for the request path while the dashboard's calls wait on their own.
            assertThat(vertx.executeBlocking(() -> "free").await(10, TimeUnit.SECONDS)).isEqualTo("free");
            assertThat(started.get()).isEqualTo(DataWorkers.MAX_RUNNING);

            release.countDown();
            long ok = answers.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
            assertThat(ok).isEqualTo(DataWorkers.MAX_RUNNING + DataWorkers.MAX_WAITING);
            assertThat(mostAtOnce.get()).isEqualTo(DataWorkers.MAX_RUNNING);
        }
    }

    @Test
    void halfTheDatabasePoolAtMost() {
        try (var pool = new com.zaxxer.hikari.HikariDataSource()) {
            pool.setMaximumPoolSize(4);
            assertThat(DataWorkers.runningFor(pool)).isEqualTo(2);
            pool.setMaximumPoolSize(2);
            assertThat(DataWorkers.runningFor(pool)).isEqualTo(1);
            pool.setMaximumPoolSize(1);
            assertThat(DataWorkers.runningFor(pool)).isEqualTo(1);
            pool.setMaximumPoolSize(32);
            assertThat(DataWorkers.runningFor(pool)).isEqualTo(2);
        }
    }
}
