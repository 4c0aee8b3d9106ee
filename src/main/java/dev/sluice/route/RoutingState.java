package dev.sluice.route;

import dev.sluice.config.RoutingConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.upstream.ActiveChecks;
import dev.sluice.upstream.HealthBoard;
import dev.sluice.upstream.KeyBalancer;
import dev.sluice.upstream.KeyStates;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Everything routing learns while the gateway runs, kept outside configuration snapshots so a reload
 * does not forget it: upstream health and breakers, key load and rate limits, sticky conversations,
 * where server-held threads live. Each is bounded: health and keys by the configuration ({@link #applied} forgets what
 * a reload removed), conversations and threads by the sticky table's size and idle time.
 */
public final class RoutingState {
    private final HealthBoard health = new HealthBoard();
    private final KeyStates keys = new KeyStates();
    private final KeyBalancer balancer = new KeyBalancer(keys);
    private final StickyTable sticky;
    private final ThreadHomes threads;
    private final BudgetSignal budget;
    private final LongSupplier clock;
    private final LongSupplier ticks;

    /**
     * @param budget how callers' budgets stand ({@link BudgetSignal#ALWAYS_OK} until budgets provide one)
     * @param clock  epoch milliseconds
     */
    public RoutingState(SluiceConfig initial, BudgetSignal budget, LongSupplier clock) {
        this(initial, budget, clock, () -> System.nanoTime() / 1_000_000);
    }

    /** @param ticks monotonic milliseconds, for durations (a request's retry budget): never stepped like the wall clock */
    RoutingState(SluiceConfig initial, BudgetSignal budget, LongSupplier clock, LongSupplier ticks) {
        this.ticks = ticks;
        RoutingConfig.Sticky s = initial.routing().sticky();
        this.sticky = new StickyTable(s.maxEntries(), s.ttl());
        this.threads = new ThreadHomes(s.maxEntries(), s.ttl());
        this.budget = budget;
        this.clock = clock;
    }

    /** A reload was applied: forget upstreams and keys it removed, resize the sticky table. */
    public void applied(Snapshot snapshot) {
        SluiceConfig c = snapshot.config();
        Map<String, Set<String>> live = new HashMap<>();
        for (UpstreamConfig u : c.upstreams()) {
            live.put(u.name(), u.keys().stream().map(UpstreamConfig.UpstreamKey::alias).collect(Collectors.toSet()));
        }
        health.retain(live.keySet());
        keys.retain(live);
        sticky.resize(c.routing().sticky().maxEntries(), c.routing().sticky().ttl());
        threads.resize(c.routing().sticky().maxEntries(), c.routing().sticky().ttl());
    }

    /** Starts the optional active checks on {@code vertx}; they follow the live configuration. */
    public ActiveChecks startChecks(Vertx vertx, Supplier<Snapshot> live) {
        return ActiveChecks.start(vertx, live, health, clock);
    }

    HealthBoard health() { return health; }
    KeyStates keys() { return keys; }
    KeyBalancer balancer() { return balancer; }
    StickyTable sticky() { return sticky; }
    ThreadHomes threads() { return threads; }
    BudgetSignal budget() { return budget; }
    long now() { return clock.getAsLong(); }
    long ticks() { return ticks.getAsLong(); }
}
