package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.trace.AuditChain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under load the audit log keeps every line: requests are offered at 2,000 per second for three
 * seconds and the audit file must hold exactly one line per request, its chain intact. (On a busy
 * machine the gateway may serve fewer per second; the count still has to match.)
 */
class AuditNoLossTest {
    static final int RATE = 2_000;
    static final int SECONDS = 3;

    @TempDir
    Path dir;

    @Test
    void everyRequestHasItsAuditLineAt2000PerSecond() throws Exception {
        Vertx vertx = Vertx.vertx();
        SimServer sim = SimServer.start(vertx, SimOptions.defaults().withCanned(true).withInstances(1)).await();
        Path audit = dir.resolve("audit.jsonl");
        Gateway gateway = Gateway.start(new ConfigLoader(Map.of()).parse("test", """
                server: {port: 0, event-loops: 2}
                upstreams: [{name: sim, base-url: "%s", keys: [{alias: k, value: sk-sim}]}]
                store: {data-dir: "%s"}
                telemetry: {audit-log: "%s"}
                """.formatted(sim.baseUrl(), dir.resolve("data"), audit))).await();
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(64));
        Buffer body = Buffer.buffer("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":16,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        int total = RATE * SECONDS;
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        try {
            // Paced: request i leaves at start + i/RATE seconds, so the rate is held, not just the count.
            for (int i = 0; i < total; i++) {
                long due = start + i * 1_000_000_000L / RATE;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                RequestOptions req = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1")
                        .setPort(gateway.port()).setURI("/v1/messages").putHeader("content-type", "application/json")
                        .putHeader("anthropic-version", "2023-06-01");
                client.request(req).compose(r -> r.send(body)).compose(r -> r.statusCode() == 200 ? r.body() : Future.failedFuture("" + r.statusCode()))
                        .onComplete(ar -> {
                            (ar.succeeded() ? ok : failed).incrementAndGet();
                            done.countDown();
                        });
            }
            assertThat(done.await(60, TimeUnit.SECONDS)).isTrue();
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(failed.get()).as("failed requests").isZero();
            // The rate achieved depends on the machine (a benchmark measures it, not this test); say it.
            System.out.printf("AuditNoLossTest: %d requests in %.1f s (%.0f req/s offered at %d)%n", ok.get(), seconds,
                    ok.get() / seconds, RATE);
        } finally {
            gateway.stop().await();
            sim.close().await();
            vertx.close().await();
        }
        // The gateway is stopped, so its writer has flushed: one line per request, chain intact.
        assertThat(Files.readAllLines(audit)).hasSize(total);
        AuditChain.Result r = AuditChain.verify(audit, dir.resolve("data"));
        assertThat(r.ok()).as(String.valueOf(r)).isTrue();
        assertThat(r.lines()).isEqualTo(total);
    }
}
