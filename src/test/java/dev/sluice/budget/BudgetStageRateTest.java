package dev.sluice.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.budget.engine.BudgetStanding;
import dev.sluice.budget.engine.TestBudgets;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.identity.MonthlyCaps;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.pipeline.Stage;
import dev.sluice.pipeline.Target;
import dev.sluice.settle.SettleStage;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.ApiError;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rate-limit check and the reservation go out together; the rate limit still decides first. */
class BudgetStageRateTest {
    private static final String MODEL = "claude-sonnet-4-6";

    @Test
    void a_request_the_rate_limit_refuses_holds_no_reservation() throws Exception {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("test", """
                upstreams: [{name: sim, base-url: "http://127.0.0.1:9", keys: [{alias: k1, value: x}]}]
                budgets:
                  rate-limits: [{name: per-user, level: user, id: "*", requests-per-minute: 1}]
                  list:
                    - {name: user, level: user, id: "*", usd: 100, period: monthly}
                """);
        LiveConfig live = LiveConfig.fixed(config, List.of(BudgetsPart.PART, Upstreams.PART, SettleStage.METER));
        Path dir = Files.createTempDirectory("sluice-stage-rate");
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             Budgeting budgeting = Budgeting.start(live, vertx, TestBudgets.PRICING, db.dataSource(), false, k -> MonthlyCaps.NONE,
                     Clock.systemUTC())) {
            Stage stage = budgeting.stage();
            Identity ana = new Identity("k1", "k", "ana", "t1", "o1", Map.of());
            Exchange first = exchange(live, "first", ana);
            stage.onRequest(first).await();
            long heldByFirst = reserved(budgeting, ana);
            assertThat(heldByFirst).isPositive();

            long estimateBefore = budgeting.engine().outputEstimate(MODEL, 1000);
            Exchange second = exchange(live, "second", ana);
            Throwable why = stage.onRequest(second).transform(ar -> Future.succeededFuture(ar.cause())).await();
            assertThat(why).isInstanceOf(ApiError.class);
            assertThat(((ApiError) why).type()).isEqualTo("rate_limit_error");
            stage.onComplete(second);
            // its reservation, taken beside the rate check, is given back: only the first request's is held
            long deadline = System.currentTimeMillis() + 5_000;
            while (reserved(budgeting, ana) != heldByFirst && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(reserved(budgeting, ana)).isEqualTo(heldByFirst);
            assertThat(budgeting.engine().outputEstimate(MODEL, 1000)).as("a release teaches the output estimate nothing")
                    .isEqualTo(estimateBefore);
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void an_exchange_without_an_answer_of_its_model_teaches_the_output_estimate_nothing() throws Exception {
        // round 23: a cache hit, or a request the fair queue or every upstream attempt turned away, settled its reservation
        // with zero output tokens as if the model had written nothing; enough of them pulled the estimate to its floor
        SluiceConfig config = new ConfigLoader(Map.of()).parse("test", """
                upstreams: [{name: sim, base-url: "http://127.0.0.1:9", keys: [{alias: k1, value: x}]}]
                budgets:
                  list:
                    - {name: user, level: user, id: "*", usd: 100, period: monthly}
                """);
        LiveConfig live = LiveConfig.fixed(config, List.of(BudgetsPart.PART, Upstreams.PART, SettleStage.METER));
        Path dir = Files.createTempDirectory("sluice-stage-learn");
        Vertx vertx = Vertx.vertx();
        try (Database db = Database.open(StoreSettings.sqlite(dir));
             Budgeting budgeting = Budgeting.start(live, vertx, TestBudgets.PRICING, db.dataSource(), false, k -> MonthlyCaps.NONE,
                     Clock.systemUTC())) {
            Stage stage = budgeting.stage();
            Identity ana = new Identity("k1", "k", "ana", "t1", "o1", Map.of());
            long estimateBefore = budgeting.engine().outputEstimate(MODEL, 32_000);
            for (int i = 0; i < 20; i++) {
                Exchange hit = exchange(live, "hit-" + i, ana);
                stage.onRequest(hit).await();
                stage.onComplete(hit); // no attempt: answered by the cache, or turned away
            }
            long deadline = System.currentTimeMillis() + 5_000;
            while (reserved(budgeting, ana) != 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(reserved(budgeting, ana)).isZero();
            assertThat(budgeting.engine().outputEstimate(MODEL, 32_000)).isEqualTo(estimateBefore);
        } finally {
            vertx.close().await();
        }
    }

    private static long reserved(Budgeting budgeting, Identity who) {
        List<BudgetStanding> s = budgeting.engine().status(who).await();
        return s.getFirst().reserved();
    }

    private static Exchange exchange(LiveConfig live, String id, Identity who) {
        byte[] body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":1000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
                .getBytes(StandardCharsets.UTF_8);
        Exchange ex = new Exchange(id, System.nanoTime(), REQUEST, Operation.MESSAGES, "POST /v1/messages", null, live.current());
        RequestBody b = RequestBody.wrap(body, body.length);
        ex.body(b, b);
        ex.facts(new RequestFacts(MODEL, false, 1000, 1, null, body.length, List.of(), List.of()));
        ex.identity(who);
        Target target = new Target("sim", "anthropic", MODEL);
        ex.plan(AttemptPlan.only(target));
        return ex;
    }

    private static final HttpServerRequest REQUEST = (HttpServerRequest) Proxy.newProxyInstance(BudgetStageRateTest.class.getClassLoader(),
            new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> {
                if (method.getName().equals("headers")) {
                    return MultiMap.caseInsensitiveMultiMap();
                }
                Class<?> t = method.getReturnType();
                if (t == boolean.class) {
                    return Boolean.FALSE;
                }
                if (t == long.class) {
                    return 0L;
                }
                if (t == int.class) {
                    return 0;
                }
                return null;
            });
}
