package dev.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import dev.sluice.wire.Usage;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A budget at its line under parallel load, in money: waves of concurrent requests (whole answers and streams) against
 * a key's $0.20 budget that degrades Opus to Haiku at half and blocks at the line. The final spend in the ledger stays
 * under the cap plus one request's worst case, every degraded attempt is priced at the served model's rate, and once
 * refused nothing more is forwarded.
 */
class BudgetLineMoneyTest {
    private static final String OPUS = "claude-opus-4-6";
    private static final String HAIKU = "claude-haiku-4-5-20251001";
    private static final long CAP_NANO = 200_000_000L;

    @Test
    void parallelRequestsAtTheLineOvershootByLessThanOneWorstCase(@TempDir Path tmp) throws Exception {
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                budgets:
                  degrade: [%s, %s]
                  list:
                    - {name: dev, level: key, id: "*", usd: 0.20,
                       thresholds: [{at: 50, action: degrade}, {at: 100, action: block}]}
                """.formatted(tmp, OPUS, HAIKU))) {
            ExecutorService pool = Executors.newFixedThreadPool(16);
            int served = 0;
            int billingBlocks = 0;
            int degraded = 0;
            try {
                for (int wave = 0; wave < 40 && billingBlocks < 16; wave++) {
                    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                    for (int i = 0; i < 16; i++) {
                        boolean stream = i % 2 == 0;
                        String body = "{\"model\":\"" + OPUS + "\",\"max_tokens\":512,\"stream\":" + stream
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"wave " + wave + " call " + i + "\"}]}";
                        calls.add(CompletableFuture.supplyAsync(() -> Http.post(h.gatewayUrl(), "/v1/messages", body,
                                "x-sim-output-tokens", "400"), pool));
                    }
                    billingBlocks = 0;
                    for (CompletableFuture<HttpResponse<String>> c : calls) {
                        HttpResponse<String> r = c.join();
                        if (r.statusCode() == 200) {
                            served++;
                            degraded += r.headers().firstValue("x-sluice-degraded-from").isPresent() ? 1 : 0;
                        } else if (r.body().contains("billing_error")) {
                            billingBlocks++;
                        }
                    }
                }
            } finally {
                pool.shutdown();
            }
            int received = h.recorder().received().size();
            h.gateway().stop().await();
            Meter meter = new Meter(PriceTable.builtIn());
            // The worst case the engine reserves: every input token at the dearest input rate (a 1-hour write, $10/M on
            // Opus 4.6) plus max_tokens of output ($25/M); the input bound is body bytes plus 1,024.
            long worst = meter.cost(OPUS, new Usage(0, 512, 0, 0, 0, 1024 + 200, 0, 0)).nanoUsd();
            try (Database db = Database.open(StoreSettings.sqlite(tmp))) {
                SpendReports reports = new SpendReports(db);
                SpendRow total = reports.report(SpendQuery.by()).getFirst();
                System.out.printf("budget: cap %d, one worst case %d, spent %d (overshoot %d), served %d, degraded %d, "
                                + "upstream calls %d, records %d%n", CAP_NANO, worst, total.costNanoUsd(),
                        total.costNanoUsd() - CAP_NANO, served, degraded, received, total.attempts());
                assertThat(billingBlocks).isEqualTo(16);
                assertThat(total.attempts()).isEqualTo(received).isEqualTo(served);
                assertThat(total.costNanoUsd()).isGreaterThanOrEqualTo(CAP_NANO).isLessThan(CAP_NANO + worst);
                assertThat(degraded).isPositive();
                for (SpendRow byModel : reports.report(SpendQuery.by("model"))) {
                    String model = byModel.group().get("model");
                    assertThat(model).isIn(OPUS, HAIKU);
                    long expected = meter.cost(model, new Usage(byModel.inputTokens(), byModel.outputTokens(), 0,
                            byModel.cacheReadTokens(), 0, 0, 0, 0)).nanoUsd();
                    assertThat(byModel.costNanoUsd()).as(model).isEqualTo(expected);
                }
            }
        }
    }

    /**
     * A token budget counts what the ledger counts (input, cache writes and reads, output) and stops at its line under the
     * same parallel load: the tokens billed exceed the cap by less than one request's worst case in tokens.
     */
    @Test
    void aTokenBudgetStopsAtItsLineInTheLedgersOwnTokens(@TempDir Path tmp) throws Exception {
        long cap = 20_000;
        try (SluiceHarness h = SluiceHarness.start(SluiceHarness.BASE_YAML + """
                store: {data-dir: "%s"}
                budgets:
                  list:
                    - {name: dev-tokens, level: key, id: "*", tokens: %d, token-kind: total}
                """.formatted(tmp, cap))) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            int blocked = 0;
            try {
                for (int wave = 0; wave < 40 && blocked < 8; wave++) {
                    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
                    for (int i = 0; i < 8; i++) {
                        String body = "{\"model\":\"" + HAIKU + "\",\"max_tokens\":512,\"stream\":" + (i % 2 == 0)
                                + ",\"messages\":[{\"role\":\"user\",\"content\":\"tokens " + wave + " " + i + "\"}]}";
                        calls.add(CompletableFuture.supplyAsync(() -> Http.post(h.gatewayUrl(), "/v1/messages", body,
                                "x-sim-output-tokens", "300"), pool));
                    }
                    blocked = 0;
                    for (CompletableFuture<HttpResponse<String>> c : calls) {
                        HttpResponse<String> r = c.join();
                        blocked += r.statusCode() == 429 && r.body().contains("billing_error") ? 1 : 0;
                    }
                }
            } finally {
                pool.shutdown();
            }
            h.gateway().stop().await();
            try (Database db = Database.open(StoreSettings.sqlite(tmp))) {
                SpendRow total = new SpendReports(db).report(SpendQuery.by()).getFirst();
                long tokens = total.inputTokens() + total.outputTokens() + total.cacheReadTokens() + total.cacheWrite5mTokens()
                        + total.cacheWrite1hTokens();
                long worst = 512 + 1024 + 200; // max_tokens plus the input bound of a ~150-byte body
                System.out.printf("token budget: cap %d, one worst case %d, billed %d (overshoot %d), records %d%n", cap, worst,
                        tokens, tokens - cap, total.attempts());
                assertThat(blocked).isEqualTo(8);
                assertThat(tokens).isGreaterThanOrEqualTo(cap).isLessThan(cap + worst);
            }
        }
    }
}
