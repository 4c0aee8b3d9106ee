package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Gateway;
import dev.sluice.sim.SimServer;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream in flight when the prices change finishes on the snapshot it started with: its ledger record is priced at the
 * old prices, the next request at the new ones (attack round 27: held).
 */
class ReloadMidStreamTest {
    @TempDir
    Path dir;

    private String config(int port, String multiplier) {
        return """
                server: {port: 0, event-loops: 1}
                upstreams: [{name: sim, base-url: "http://127.0.0.1:%d", keys: [{alias: k, value: sk-sim}]}]
                routes: [{match: "*", upstream: sim}]
                metering: {multiplier: %s}
                store: {data-dir: "%s"}
                """.formatted(port, multiplier, dir.resolve("data"));
    }

    @Test
    void theStreamInFlightKeepsTheOldPricesTheNextRequestGetsTheNew() throws Exception {
        SimServer sim = SluiceHarness.startSim();
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, config(sim.port(), "1.0"));
        ConfigLoader loader = new ConfigLoader(Map.of());
        Gateway gateway = Gateway.start(loader.load(file), file, loader).await();
        try {
            HttpResponse<String> warm = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("priced before", true),
                    "x-sim-output-tokens", "40"); // the first request's start-up costs are behind us
            BigDecimal oldPrice = new BigDecimal(Http.record(gateway.baseUrl(), Http.requestId(warm)).path("cost_usd").asText());
            String[] slow = {"x-sim-ttft-ms", "3000", "x-sim-output-tokens", "40"};
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() ->
                    Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("priced before", true), slow));
            Thread.sleep(1_000); // the stream has its snapshot and waits for its first token
            Files.writeString(file, config(sim.port(), "3.0"));
            assertThat(gateway.live().reload("test", "test").version()).isEqualTo(2);
            HttpResponse<String> old = inFlight.get(20, TimeUnit.SECONDS);
            assertThat(old.statusCode()).as(old.body()).isEqualTo(200);
            assertThat(old.body()).contains("message_stop");
            HttpResponse<String> next = Http.post(gateway.baseUrl(), "/v1/messages", Http.userMessage("priced before", true),
                    "x-sim-output-tokens", "40");
            BigDecimal before = new BigDecimal(Http.record(gateway.baseUrl(), Http.requestId(old)).path("cost_usd").asText());
            BigDecimal after = new BigDecimal(Http.record(gateway.baseUrl(), Http.requestId(next)).path("cost_usd").asText());
            assertThat(oldPrice).isPositive();
            assertThat(before).isEqualByComparingTo(oldPrice);
            assertThat(after).isEqualByComparingTo(oldPrice.multiply(new BigDecimal(3)));
        } finally {
            gateway.stop().await();
            sim.close().await();
        }
    }
}
