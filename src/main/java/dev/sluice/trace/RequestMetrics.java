package dev.sluice.trace;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Target;
import dev.sluice.pipeline.Cost;
import dev.sluice.wire.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Counts each finished exchange into the request, error, latency, token and spend meters.
 *
 * <p>Looking a meter up in a Micrometer registry builds an id and hashes its tags; at gateway rates that
 * is measurable, so each meter is built once per label set and kept in a map keyed by a small record.
 * Per-endpoint timers are built up front. Labels are bounded: no request, user or key ids, and the
 * client-influenced ones go through {@link BoundedLabel}.
 */
final class RequestMetrics implements ExchangeObserver {
    private static final double NANO_USD_PER_USD = 1e9;

    private final MeterRegistry registry;
    private final BoundedLabel models = new BoundedLabel(200);
    private final BoundedLabel providers = new BoundedLabel(20);
    private final BoundedLabel teams = new BoundedLabel(500);
    private final BoundedLabel cacheStates = new BoundedLabel(10);
    private final BoundedLabel errorTypes = new BoundedLabel(50);

    private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<SpendKey, SpendMeters> spend = new ConcurrentHashMap<>();
    private final Map<String, Timer> ttfb = new ConcurrentHashMap<>();
    private final Map<Operation, Timer> total = new EnumMap<>(Operation.class);
    private final Map<Operation, Timer> gateway = new EnumMap<>(Operation.class);
    private final Counter attempts;
    private final Counter retried;

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Operation e : Operation.values()) {
            total.put(e, timer("sluice.request.duration", "From the first request byte to the last response byte",
                    LatencyBuckets.TOTAL, "operation", e.label()));
            gateway.put(e, timer("sluice.gateway.latency", "Time the gateway itself added before the response headers",
                    LatencyBuckets.GATEWAY, "operation", e.label()));
        }
        this.attempts = Counter.builder("sluice.upstream.attempts").description("Upstream attempts made").register(registry);
        overflow(registry, "model", models);
        overflow(registry, "provider", providers);
        overflow(registry, "team", teams);
        overflow(registry, "cache", cacheStates);
        overflow(registry, "error_type", errorTypes);
        this.retried = Counter.builder("sluice.upstream.retried")
                .description("Upstream attempts that failed before the answer was committed and were followed by another")
                .register(registry);
    }

    private static void overflow(MeterRegistry registry, String label, BoundedLabel values) {
        FunctionCounter.builder("sluice.metric.label.overflow", values, BoundedLabel::overflowed)
                .description("Label values reported as 'other' because the label's cap of distinct values was reached")
                .tag("label", label).register(registry);
    }

    @Override
    public void observe(Exchange ex) {
        Target target = ex.target();
        Identity who = ex.identity();
        // A model earns its own label once an upstream answered it: 200 requests for invented names (free where a
        // route forwards any model and the upstream says 404) would otherwise fill the cap, and real models after
        // them would be counted as "other" until a restart.
        // The model as the ledger files it: the attempt's (a provider's `models:` map renames what the target names, and
        // a fallback or degrade answers with another), a hit's stored answer's; else what the route chose or was asked.
        dev.sluice.record.CacheHitRecord hit = ex.get(dev.sluice.record.CacheHitRecord.KEY);
        String served = hit != null ? hit.model() : !ex.attempts().isEmpty() ? ex.lastAttempt().servedModel()
                : target != null ? target.servedModel() : ex.facts().model();
        String model = models.of(served, ex.status() < 400);
        // An answer the gateway's cache served came from no provider: labelled as the ledger records it ("cache"), so
        // spend and traffic per provider on the dashboard agree with `sluice report`.
        String provider = hit != null ? dev.sluice.record.CacheHitRecord.PROVIDER : providers.of(target == null ? null : target.provider());

        RequestKey key = new RequestKey(ex.operation(), ex.status(), model, provider, cacheStates.of(ex.cacheStatus()));
        lookup(requests, key, this::requestCounter).increment();
        if (ex.errorType() != null) {
            lookup(errors, errorTypes.of(ex.errorType()), this::errorCounter).increment();
        }

        total.get(ex.operation()).record(ex.totalMillis(), TimeUnit.MILLISECONDS);
        gateway.get(ex.operation()).record((long) (ex.gatewayMillis() * 1e6), TimeUnit.NANOSECONDS);
        int n = ex.attempts().size();
        if (n > 0) {
            attempts.increment(n);
            if (n > 1) {
                retried.increment(n - 1);
            }
        }
        long firstByte = ex.upstreamTtfbMillis();
        if (firstByte >= 0) {
            lookup(ttfb, provider, this::ttfbTimer).record(firstByte, TimeUnit.MILLISECONDS);
        }

        String team = teams.of(who == null ? null : who.teamId());
        if (n > 1) {
            spendByAttempt(ex, team, provider, model);
        } else {
            spend(new SpendKey(model, provider, team), ex.usage(), ex.cost(), ex.gatewaySavingsNanoUsd());
        }
    }

    /**
     * A retried or fallen-back request's spend goes under the provider and model each attempt used, as the ledger
     * files it: a stream that failed on one provider after billing tokens, then succeeded on another, must not show
     * the first provider's tokens and dollars under the second.
     */
    private void spendByAttempt(Exchange ex, String team, String lastProvider, String lastModel) {
        List<Attempt> all = ex.attempts();
        for (int i = 0; i < all.size(); i++) {
            Attempt a = all.get(i);
            boolean last = i == all.size() - 1;
            Target t = a.target();
            String provider = last ? lastProvider : providers.of(t == null ? null : t.provider());
            String model = last ? lastModel : models.of(a.servedModel(), a.status() > 0 && a.status() < 400);
            spend(new SpendKey(model, provider, team), a.usage(), a.cost(), last ? ex.gatewaySavingsNanoUsd() : 0);
        }
    }

    private void spend(SpendKey key, Usage u, Cost c, long gatewaySaved) {
        if (u.totalTokens() > 0 || c.nanoUsd() > 0 || c.providerCacheSavingsNanoUsd() > 0 || gatewaySaved > 0) {
            lookup(spend, key, this::spendMeters).add(u, c, gatewaySaved);
        }
    }

    /** A plain get first: {@code computeIfAbsent} may lock the bin even when the key is present. */
    private static <K, V> V lookup(Map<K, V> cache, K key, Function<K, V> create) {
        V v = cache.get(key);
        return v != null ? v : cache.computeIfAbsent(key, create);
    }

    private Counter requestCounter(RequestKey k) {
        return Counter.builder("sluice.requests").description("Requests through the pipeline")
                .tag("operation", k.operation.label()).tag("status", Integer.toString(k.status))
                .tag("model", k.model).tag("provider", k.provider).tag("cache", k.cache)
                .register(registry);
    }

    private Counter errorCounter(String type) {
        return Counter.builder("sluice.errors").description("Requests that ended in an error, by Anthropic error type")
                .tag("type", type).register(registry);
    }

    private Timer ttfbTimer(String provider) {
        return timer("sluice.upstream.ttfb", "From sending upstream to the upstream's response headers",
                LatencyBuckets.TTFB, "provider", provider);
    }

    private Timer timer(String name, String description, Duration[] buckets, String tag, String value) {
        return Timer.builder(name).description(description).tag(tag, value)
                .serviceLevelObjectives(buckets).register(registry);
    }

    private SpendMeters spendMeters(SpendKey k) {
        return new SpendMeters(tokens(k, "input"), tokens(k, "output"), tokens(k, "cache_read"), tokens(k, "cache_write"),
                money("sluice.cost.usd", "What requests cost, in USD", k),
                money("sluice.provider.cache.savings.usd", "What provider prompt-cache reads saved against the input rate, in USD", k),
                money("sluice.gateway.cache.savings.usd", "What answers from the gateway's own cache saved, in USD", k));
    }

    private Counter tokens(SpendKey k, String kind) {
        return Counter.builder("sluice.tokens").description("Tokens as the upstream reported them, by kind")
                .tag("model", k.model).tag("provider", k.provider).tag("team", k.team).tag("kind", kind)
                .register(registry);
    }

    private Counter money(String name, String description, SpendKey k) {
        return Counter.builder(name).description(description)
                .tag("model", k.model).tag("provider", k.provider).tag("team", k.team)
                .register(registry);
    }

    private record RequestKey(Operation operation, int status, String model, String provider, String cache) {
    }

    private record SpendKey(String model, String provider, String team) {
    }

    private record SpendMeters(Counter input, Counter output, Counter cacheRead, Counter cacheWrite,
                               Counter cost, Counter providerSavings, Counter gatewaySavings) {
        void add(Usage u, Cost c, long gatewaySavedNanoUsd) {
            addIfPositive(input, u.inputTokens());
            addIfPositive(output, u.outputTokens());
            addIfPositive(cacheRead, u.cacheReadInputTokens());
            addIfPositive(cacheWrite, u.cacheWriteTokens());
            addIfPositive(cost, c.nanoUsd() / NANO_USD_PER_USD);
            addIfPositive(providerSavings, c.providerCacheSavingsNanoUsd() / NANO_USD_PER_USD);
            addIfPositive(gatewaySavings, gatewaySavedNanoUsd / NANO_USD_PER_USD);
        }

        private static void addIfPositive(Counter c, double amount) {
            if (amount > 0) {
                c.increment(amount);
            }
        }
    }
}
