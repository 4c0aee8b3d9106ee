package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.admin.AdminParts;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyRegistry;
import dev.sluice.record.JournaledLedger;
import dev.sluice.record.LedgerRecord;
import dev.sluice.record.LedgerSettings;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendReports;
import dev.sluice.record.SpendRow;
import dev.sluice.store.Database;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Usage;
import io.vertx.core.MultiMap;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data calls against both stores, on a ledger written the way the gateway writes it: the numbers equal the spend
 * report's (the query {@code sluice report} runs), retried requests fold into one line with their whole cost, and
 * every parameter is bounded with a 400.
 */
class DashboardDataTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private final Instant today = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
    /** Inside today whatever the hour the test runs at. */
    private final Instant earlierToday = today.plus(Duration.between(today, now).dividedBy(2));

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void numbersAreTheSpendReportsAndRetriesFold(String store) {
        StoreSettings settings = store.equals("sqlite") ? StoreSettings.sqlite(dir) : PostgresForTests.freshDatabase(dir);
        try (Database db = Database.open(settings)) {
            write(db);
            SpendReports reports = new SpendReports(db);
            DashboardData data = data(db, reports);

            for (String period : List.of("today", "7d", "30d", "month")) {
                ObjectNode s = data.answer("summary", params("period", period), now);
                SpendRow truth = reports.report(new SpendQuery(List.of(), ReportPeriod.of(period, now).since(), null, Map.of())).getFirst();
                assertThat(new BigDecimal(s.at("/totals/cost_usd").asText())).as(period).isEqualByComparingTo(truth.costUsd());
                assertThat(s.at("/totals/requests").asLong()).as(period).isEqualTo(truth.requests());
                BigDecimal bars = BigDecimal.ZERO;
                for (JsonNode bar : s.get("series")) {
                    bars = bars.add(new BigDecimal(bar.get("cost_usd").asText()));
                }
                assertThat(bars).as(period + ": the bars add up to the total").isEqualByComparingTo(truth.costUsd());
            }
            ObjectNode week = data.answer("summary", params("period", "7d"), now);
            assertThat(week.at("/totals/requests").asLong()).isEqualTo(4); // r1 (two attempts), r2, r3, the cache hit
            assertThat(week.at("/totals/cost_usd").asText()).isEqualTo("1.4845679"); // 1.23456789 + 0.25 + 0.00000001
            assertThat(week.get("series")).hasSize(7);
            assertThat(data.answer("summary", params("period", "today"), now).get("series").size())
                    .isEqualTo(now.atZone(ZoneOffset.UTC).getHour() + 1);

            ObjectNode teams = data.answer("breakdown", params("period", "7d", "by", "team", "limit", "1"), now);
            assertThat(teams.at("/rows/0/value").asText()).isEqualTo("platform");
            assertThat(teams.at("/rows/0/cost_usd").asText()).isEqualTo("1.23456789");
            assertThat(teams.at("/others/groups").asLong()).isEqualTo(2);
            ObjectNode repos = data.answer("breakdown", params("period", "7d", "by", "tag:repo"), now);
            assertThat(repos.at("/rows/0/value").asText()).isEqualTo("api");

            ObjectNode recent = data.answer("requests", params("period", "7d", "limit", "10"), now);
            List<String> ids = new ArrayList<>();
            recent.get("requests").forEach(r -> ids.add(r.get("request_id").asText()));
            assertThat(ids).containsExactly("r5-hit", "r1", "r2", "r3");
            JsonNode r1 = recent.at("/requests/1");
            assertThat(r1.get("attempts").asInt()).isEqualTo(2);
            assertThat(r1.get("cost_usd").asText()).isEqualTo("1.23456789");
            assertThat(r1.get("status").asInt()).isEqualTo(200);
            assertThat(r1.get("latency_ms").asLong()).isEqualTo(400);
            assertThat(r1.get("model").asText()).isEqualTo("claude-sonnet-4-5");
            assertThat(data.answer("requests", params("limit", "1"), now).get("requests")).hasSize(1);

            ObjectNode attempts = data.answer("requests/r1", params(), now);
            assertThat(attempts.get("attempts")).hasSize(2);
            assertThat(attempts.get("key_id").asText()).isEqualTo("key-platform");
            assertThat(attempts.at("/attempts/0/error_type").asText()).isEqualTo("overloaded_error");
            expect(() -> data.answer("requests/nope", params(), now), 404, "No ledger record for request nope");

            ObjectNode latency = data.answer("latency", params("period", "7d"), now);
            assertThat(latency.get("sample").asInt()).isEqualTo(4); // upstream attempts: r1 twice, r2, r3 (the hit is not one)
            assertThat(latency.at("/upstream_ms/max").asLong()).isEqualTo(300);
            assertThat(latency.at("/gateway_ms/p50").asLong()).isEqualTo(7);
            assertThat(latency.at("/errors/0/error_type").asText()).isEqualTo("overloaded_error");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite"})
    void emptyLedgerAndBounds(String store) {
        try (Database db = Database.open(StoreSettings.sqlite(dir))) {
            DashboardData data = data(db, new SpendReports(db));
            ObjectNode s = data.answer("summary", params("period", "30d"), now);
            assertThat(s.at("/totals/requests").asLong()).isZero();
            assertThat(s.at("/totals/cost_usd").asText()).isEqualTo("0");
            assertThat(s.get("series")).hasSize(30);
            assertThat(data.answer("requests", params(), now).get("requests")).isEmpty();
            assertThat(data.answer("latency", params(), now).at("/gateway_ms/p50").isNull()).isTrue();
            assertThat(data.answer("budgets", params(), now).get("available").asBoolean()).isFalse();

            expect(() -> data.answer("summary", params("period", "year"), now), 400,
                    "query parameter period: \"year\" (expected: today, 7d, 30d or month)");
            expect(() -> data.answer("requests", params("limit", "0"), now), 400, "query parameter limit: \"0\"");
            expect(() -> data.answer("requests", params("limit", "201"), now), 400, "query parameter limit: \"201\"");
            expect(() -> data.answer("breakdown", params("limit", "101"), now), 400, "query parameter limit: \"101\"");
            expect(() -> data.answer("breakdown", params("by", "colour"), now), 400, "query parameter by: \"colour\"");
            expect(() -> data.answer("breakdown", params("by", "tag:a b"), now), 400, "query parameter by: \"tag:a b\"");
            expect(() -> data.answer("summary", params("since", "3y"), now), 400, "query parameter since: not known");
            expect(() -> data.answer("summary", params("period", "7d", "period", "30d"), now), 400,
                    "query parameter period: given 2 times");
            expect(() -> data.answer("requests/a%20b", params(), now), 400, "request id: \"a%20b\"");
            expect(() -> data.answer("budgets", params("x", "1"), now), 400, "query parameter x: not known");
        }
    }

    private static void expect(Runnable call, int status, String messageStart) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).startsWith(messageStart);
        });
    }

    private static DashboardData data(Database db, SpendReports reports) {
        IdentityStore store = new IdentityStore(db);
        KeyRegistry registry = new KeyRegistry(store, Clock.systemUTC(), Duration.ofMinutes(10));
        LiveConfig live = LiveConfig.fixed(SluiceConfig.defaults(), List.of());
        return new DashboardData(AdminParts.basic(store, registry, reports, new AdminConfig(List.of()), live), db);
    }

    private static MultiMap params(String... pairs) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            m.add(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private void write(Database db) {
        try (JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir))) {
            Instant t = earlierToday;
            ledger.append(record("r1", 1, t.minusMillis(300), "platform", "claude-sonnet-4-5", Map.of("repo", "api"), 529,
                    "overloaded_error", 0, 100));
            ledger.append(record("r1", 2, t.minusMillis(200), "platform", "claude-sonnet-4-5", Map.of("repo", "api"), 200,
                    null, 1_234_567_890L, 300));
            ledger.append(record("r2", 1, t.minusMillis(400), "web", "claude-opus-4-6", Map.of(), 200, null, 250_000_000L, 50));
            ledger.append(record("r3", 1, today.minus(Duration.ofHours(20)), "web", "claude-opus-4-6", Map.of(), 200, null, 10, 20));
            ledger.append(record("r4", 1, today.minus(Duration.ofDays(40)), "old", "claude-opus-4-6", Map.of(), 200, null, 99, 20));
            ledger.append(new LedgerRecord("r5-hit", 0, t, "key-cache", "laptop", "ana", "cachers", "org-1", Map.of(), null, null,
                    "/v1/messages", "claude-sonnet-4-5", "claude-sonnet-4-5", "cache", null, 200, null, Usage.ZERO, false,
                    0, 0, 5_000, "hit", 2, -1, 1, false, 100, 20, null));
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(30))).isTrue();
        }
    }

    private static LedgerRecord record(String id, int attempt, Instant t, String team, String model, Map<String, String> tags,
                                       int status, String error, long cost, long latency) {
        return new LedgerRecord(id, attempt, t, "key-" + team, "laptop", "user-" + team, team, "org-1", tags, null, null,
                "/v1/messages", model, model, "anthropic", "primary", status, error, new Usage(100, 50, 0, 0, 0, 0, 0, 0), false,
                cost, 0, 0, "miss", latency, latency / 2, 7, true);
    }
}
