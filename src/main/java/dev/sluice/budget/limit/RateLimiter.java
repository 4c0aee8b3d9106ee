package dev.sluice.budget.limit;

import dev.sluice.budget.counter.RedisLink;
import dev.sluice.pipeline.Identity;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Checks and charges every rate limit that applies to a request, all or nothing: one request and its estimated
 * tokens go against each limit; {@link #adjust} later corrects the tokens to the actual count. In Redis mode every
 * replica shares the counts (keys under one {@code {sluice-rl}} hash tag, so one Lua call can touch them all).
 */
public final class RateLimiter implements AutoCloseable {
    private static final int MAX_KEYS = 200_000;

    private volatile List<RateRule> rules;
    private final Clock clock;
    private final RedisLink redis;
    private final RedisLink.Script script;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, long[]> local = new HashMap<>();

    /** One limit charged: its key, algorithm, limit and the amount. */
    public record Charge(String key, RateRule.Algorithm algorithm, long limit, long cost, String rule, String kind) {
    }

    /** @param redis null for in-memory limits on this node */
    public RateLimiter(List<RateRule> rules, Clock clock, RedisLink redis) {
        this.rules = List.copyOf(rules);
        this.clock = clock;
        this.redis = redis;
        this.script = redis == null ? null : new RedisLink.Script(RateLimiter.class, "ratelimit.lua", false);
    }

    /** Replaces the rules (a reload); counts already made stay with their keys (rule name and subject). */
    public void rules(List<RateRule> next) {
        this.rules = List.copyOf(next);
    }

    /** True when no rule is configured: nothing to check. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Checks one request with {@code tokens} estimated tokens; charges every limit when all admit. */
    public Future<RateDecision> check(Identity who, String upstreamKey, long tokens) {
        return check(who, upstreamKey, tokens, 1);
    }

    /**
     * As {@link #check(Identity, String, long)} for a call that counts as {@code requests} requests against the request
     * limits (a list of batches asks its upstream once for each batch listed).
     */
    public Future<RateDecision> check(Identity who, String upstreamKey, long tokens, long requests) {
        List<Charge> charges = new ArrayList<>(4);
        for (RateRule r : rules) {
            String subject = r.subject(who, upstreamKey);
            if (subject == null) {
                continue;
            }
            String base = "sluice:rl:{sluice-rl}:" + r.name() + ":" + subject;
            if (r.requestsPerMinute() > 0) {
                charges.add(new Charge(base + ":r", r.algorithm(), r.requestsPerMinute(), requests, r.name(), "requests"));
            }
            if (r.tokensPerMinute() > 0) {
                charges.add(new Charge(base + ":t", r.algorithm(), r.tokensPerMinute(), Math.max(0, tokens), r.name(), "tokens"));
            }
        }
        if (charges.isEmpty()) {
            return Future.succeededFuture(new RateDecision(true, 0, null, null, List.of()));
        }
        for (Charge c : charges) {
            if (c.cost() > c.limit()) {
                return Future.succeededFuture(RateDecision.never(c.rule(), c.kind()));
            }
        }
        long now = clock.millis();
        if (redis == null) {
            return Future.succeededFuture(checkLocal(charges, now));
        }
        return redis.eval(script, keys(charges), args(charges, now, "check", null)).map(r -> {
            if (r.get(0).toInteger() == 1) {
                return new RateDecision(true, 0, null, null, charges);
            }
            Charge c = charges.get(r.get(1).toInteger());
            return new RateDecision(false, r.get(2).toLong(), c.rule(), c.kind(), List.of());
        });
    }

    /** Corrects the token charges of an admitted request to {@code actualTokens}. */
    public Future<Void> adjust(RateDecision d, long actualTokens) {
        List<Charge> tokenCharges = d.charged().stream().filter(c -> c.kind().equals("tokens")).toList();
        if (tokenCharges.isEmpty()) {
            return Future.succeededFuture();
        }
        long now = clock.millis();
        if (redis == null) {
            lock.lock();
            try {
                for (Charge c : tokenCharges) {
                    RateMath.charge(c.algorithm(), state(c, now), now, c.limit(), actualTokens - c.cost());
                }
            } finally {
                lock.unlock();
            }
            return Future.succeededFuture();
        }
        return redis.eval(script, keys(tokenCharges), args(tokenCharges, now, "adjust", actualTokens)).mapEmpty();
    }

    private RateDecision checkLocal(List<Charge> charges, long now) {
        lock.lock();
        try {
            if (local.size() > MAX_KEYS) {
                local.clear(); // bounded: at worst everyone gets a fresh minute
            }
            for (Charge c : charges) {
                long wait = RateMath.waitMillis(c.algorithm(), state(c, now), now, c.limit(), c.cost());
                if (wait > 0) {
                    return new RateDecision(false, wait, c.rule(), c.kind(), List.of());
                }
            }
            for (Charge c : charges) {
                RateMath.charge(c.algorithm(), state(c, now), now, c.limit(), c.cost());
            }
            return new RateDecision(true, 0, null, null, charges);
        } finally {
            lock.unlock();
        }
    }

    private long[] state(Charge c, long now) {
        return local.computeIfAbsent(c.key(), k -> RateMath.fresh(c.algorithm(), now, c.limit()));
    }

    private static List<String> keys(List<Charge> charges) {
        return charges.stream().map(Charge::key).toList();
    }

    private static List<String> args(List<Charge> charges, long now, String mode, Long actual) {
        List<String> a = new ArrayList<>();
        a.add(Long.toString(now));
        a.add(mode);
        for (Charge c : charges) {
            a.add(c.algorithm() == RateRule.Algorithm.SLIDING_WINDOW ? "1" : "2");
            a.add(Long.toString(c.limit()));
            a.add(Long.toString(actual == null ? c.cost() : actual - c.cost()));
        }
        return a;
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
