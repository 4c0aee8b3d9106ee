package dev.sluice.budget.engine;

import dev.sluice.budget.counter.CounterStore;
import dev.sluice.budget.counter.RedisCounters;
import dev.sluice.budget.rules.BudgetRules;
import dev.sluice.budget.rules.BudgetSet;
import dev.sluice.pipeline.Identity;
import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.testing.SluiceHarness;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Engines built the way the gateway builds them: YAML through the validator, the built-in price table; and the Redis
 * side of a gateway process's budgets, for the tests that kill one and read what it left.
 */
public final class TestBudgets {
    public static final Pricing PRICING = Pricing.of(new Meter(PriceTable.builtIn()));

    private TestBudgets() {
    }

    public static BudgetSet rules(String yaml) {
        return BudgetRules.compile("test", BudgetRules.parse("test", yaml));
    }

    public static BudgetEngine engine(String yaml, CounterStore store, Clock clock, CrossingListener listener) {
        return new BudgetEngine(rules(yaml), store, PRICING, OutputEstimator.defaults(), clock, Duration.ofMinutes(10), 1000, listener);
    }

    public static Identity who(String user, String team, String org) {
        return new Identity("key-" + user, "laptop", user, team, org, Map.of());
    }

    /**
     * The {@code budgets:} section of a gateway whose counters live in Redis at {@code redisUrl}, failing closed when it
     * is away: {@code list} (a {@code list: [...]} line) and, when not null, the lease settings ({@code {flush: ...}}).
     */
    public static String redisBudgetsYaml(String redisUrl, String leases, String list) {
        return """
                budgets:
                  counters: {store: redis, redis-url: "%s", on-redis-failure: fail-closed, timeout: 2s%s}
                  %s
                """.formatted(redisUrl, leases == null ? "" : ", leases: " + leases, list);
    }

    /**
     * The harness's static key's standing on the first budget of {@code list}, read from the Redis counters at
     * {@code redisUrl} by an engine of its own (as a replica would read what the gateway left there).
     */
    public static BudgetStanding redisStanding(Vertx vertx, String redisUrl, String list) throws Exception {
        RedisCounters store = new RedisCounters(vertx, redisUrl, Duration.ofSeconds(5));
        try {
            BudgetEngine reader = new BudgetEngine(rules(list), store, PRICING, OutputEstimator.defaults(), Clock.systemUTC(),
                    Duration.ofMinutes(15), 1000, null);
            return reader.status(staticCaller()).await().getFirst();
        } finally {
            store.close();
        }
    }

    /** The identity the gateway gives the harness's static key ({@link SluiceHarness#GATEWAY_KEY}): its id is the key's digest. */
    public static Identity staticCaller() throws Exception {
        byte[] d = MessageDigest.getInstance("SHA-256").digest(SluiceHarness.GATEWAY_KEY.getBytes(StandardCharsets.UTF_8));
        return new Identity("static-" + HexFormat.of().formatHex(d, 0, 4), "config key 1", null, null, null, Map.of());
    }
}
