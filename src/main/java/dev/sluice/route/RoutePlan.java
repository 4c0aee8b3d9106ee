package dev.sluice.route;

import dev.sluice.config.HealthConfig;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;
import dev.sluice.upstream.KeyPolicy;
import dev.sluice.upstream.KeyState;
import dev.sluice.upstream.RateLimits;
import dev.sluice.upstream.TargetHealth;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.upstream.Upstreams;
import io.vertx.core.MultiMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's way through a rule's targets: which target and key each attempt uses, and whether a
 * failed attempt is followed by another.
 *
 * <p>The order is made once: targets by priority, equal priorities in a weighted random order, the
 * conversation's home (then away) target moved to the front. An attempt goes to the first target in
 * that order whose breaker lets it through and that has a key able to take the request; when none
 * has, to the first one anyway (nothing better exists, and its answer is the truthful one).
 *
 * <p>After a failure (see {@link Failures}), before any byte reached the client, in this order:
 * <ol>
 *   <li>a key failure (429) or a refused credential (401/403) tries an untried usable key of the same target;</li>
 *   <li>any failure but a final one tries the next untried target that is available;</li>
 *   <li>then an untried usable key of a target already tried, unless that target failed as sick
 *       (5xx, no first byte in time);</li>
 *   <li>a key or busy failure repeats the first available target that was not sick, after a jittered
 *       backoff, or after its keys' {@code retry-after} when that is longer (up to {@code max-wait}).</li>
 * </ol>
 * Never more than {@code attempts} attempts, and none started after {@code budget}. Moving to another
 * target or key happens at once: only repeats wait.
 */
final class RoutePlan implements AttemptPlan, KeyPolicy {
    private final Rule rule;
    private final RoutingState state;
    private final Upstreams upstreams;
    private final HealthConfig health;
    private final String conversation;
    private final long tokens;
    private final int hash;
    private final long startMillis;
    /**
     * When the plan was made, on the monotonic clock: the retry budget is a duration. Measured on the wall clock (the
     * routing state's, which rate-limit resets need), a clock stepped forward ended a request's retries at once and one
     * stepped back let them run past the budget by the step (attack round 34).
     */
    private final long startTicks;
    private final List<TargetChoice> order;
    private final Target[] targets;
    private final StickyTable.Placement placement;
    private final boolean[] tried;
    /** Targets that failed in a way that rules out trying them again within this request. */
    private final boolean[] sick;
    private final List<Set<String>> triedKeys;
    private int current;
    private int repeats;
    private boolean repeating;

    RoutePlan(Rule rule, RoutingState state, Upstreams upstreams, HealthConfig health, RequestTraits traits) {
        this(rule, state, upstreams, health, traits, null, null);
    }

    /**
     * @param threadHome where the thread a continue builds on lives (it goes there first, on the key that holds it), or
     *                   null; a continue is never placed by its messages, which are only the new turn's
     */
    RoutePlan(Rule rule, RoutingState state, Upstreams upstreams, HealthConfig health, RequestTraits traits,
              ThreadRequest thread, StickyTable.Spot threadHome) {
        this.rule = rule;
        this.state = state;
        this.upstreams = upstreams;
        this.health = health;
        boolean placeable = rule.sticky() && traits.conversation() != null && (thread == null || !thread.continues());
        this.conversation = placeable ? rule.name() + '\u0000' + traits.conversation() : null;
        this.tokens = traits.estimatedTokens();
        this.hash = traits.hash();
        this.startMillis = state.now();
        this.startTicks = state.ticks();
        this.placement = threadHome != null ? new StickyTable.Placement(threadHome, null) : state.sticky().get(conversation);
        this.order = order(rule.targets(), placement);
        this.targets = new Target[order.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = order.get(i).target(traits.model());
        }
        this.tried = new boolean[order.size()];
        this.sick = new boolean[order.size()];
        this.triedKeys = new ArrayList<>(order.size());
        for (int i = 0; i < order.size(); i++) {
            triedKeys.add(new HashSet<>(2));
        }
        this.current = firstAvailable(startMillis);
    }

    @Override
    public String routeName() {
        return rule.name();
    }

    @Override
    public Target first() {
        return targets[current];
    }

    @Override
    public List<Target> targets() {
        return List.of(targets);
    }

    /**
     * A shorter first-byte limit for an attempt that still has a fallback after it: attempts left and a target this
     * request has not tried that could take it now. Any other attempt waits the full timeout. Counting attempts alone
     * cut the last target short too (attempts default to targets + 1): a fallback slower than the limit to its first
     * byte then failed every request while its primary was down, though it would have answered.
     */
    @Override
    public long firstByteMillis(Attempt attempt) {
        return rule.retry().firstByte() > 0 && attempt.number() < rule.retry().attempts() && hasFallback(state.now())
                ? rule.retry().firstByte() : -1;
    }

    /** True when a target other than the current one is untried and available (without taking a probe slot). */
    private boolean hasFallback(long now) {
        boolean panic = allOpen(now);
        for (int i = 0; i < order.size(); i++) {
            TargetChoice t = order.get(i);
            UpstreamSpec spec = upstreams.get(t.upstream());
            if (i != current && !tried[i] && spec != null && state.balancer().anyUsable(spec, t.pool(), tokens, now)
                    && (panic || state.health().of(t.upstream()).allows(now))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Retry next(Exchange ex, Attempt failed) {
        long now = state.now();
        Failures kind = Failures.of(failed);
        tried[current] = true;
        sick[current] |= kind == Failures.SICK;
        if (kind == Failures.FINAL || ex.attempts().size() >= rule.retry().attempts() || elapsedMillis() >= rule.retry().budgetMillis()) {
            return null;
        }
        if ((kind == Failures.KEY || kind == Failures.CREDENTIAL) && hasFreshKey(current, now)) {
            return move(current, 0, false);
        }
        boolean panic = allOpen(now);
        for (int i = 0; i < order.size(); i++) {
            if (!tried[i] && available(i, now, panic)) {
                return move(i, 0, false);
            }
        }
        for (int i = 0; i < order.size(); i++) {
            if (!sick[i] && hasFreshKey(i, now) && (panic || state.health().of(order.get(i).upstream()).acquire(health, now))) {
                return move(i, 0, false);
            }
        }
        return kind.repeatable() ? repeat(now, panic) : null;
    }

    /**
     * The first target (by preference) that may be tried again, after a backoff or its keys' cool-down.
     * Breakers are obeyed unless every one is open: then there is nothing better than trying.
     */
    private Retry repeat(long now, boolean panic) {
        for (int i = 0; i < order.size(); i++) {
            TargetHealth h = state.health().of(order.get(i).upstream());
            if (sick[i] || !panic && !h.allows(now)) {
                continue;
            }
            long wait = Math.max(rule.retry().backoff(repeats), keysReadyAt(i, now) - now);
            if (wait <= rule.retry().maxWait() && elapsedMillis() + wait < rule.retry().budgetMillis()) {
                if (!panic) {
                    h.acquire(health, now);
                }
                repeats++;
                return move(i, wait, true);
            }
        }
        return null;
    }

    /** True when no target's breaker lets a request through now (then breakers are not obeyed). */
    private boolean allOpen(long now) {
        for (TargetChoice t : order) {
            if (state.health().of(t.upstream()).allows(now)) {
                return false;
            }
        }
        return true;
    }

    private long elapsedMillis() {
        return state.ticks() - startTicks;
    }

    private Retry move(int to, long delay, boolean repeat) {
        current = to;
        repeating = repeat;
        return new Retry(targets[to], delay);
    }

    @Override
    public UpstreamKey key(Exchange ex, UpstreamSpec spec, Attempt attempt) {
        TargetChoice t = order.get(current);
        if (!t.upstream().equals(spec.name())) {
            return null;
        }
        String preferred = placement == null ? null : placement.keyOn(t.upstream());
        Set<String> used = triedKeys.get(current);
        UpstreamKey k = state.balancer().choose(spec, t.pool(), t.keyWeights(), repeating ? Set.of() : used, preferred,
                tokens, hash, state.now());
        if (k != null) {
            used.add(k.alias());
        }
        return k;
    }

    @Override
    public void answered(Exchange ex, Attempt attempt, MultiMap upstreamHeaders) {
        String alias = attempt.upstreamKeyAlias();
        if (alias == null || UpstreamKey.CALLER.alias().equals(alias)) {
            return;
        }
        KeyState key = state.keys().of(attempt.target().upstream(), alias);
        key.observe(RateLimits.from(upstreamHeaders));
        long now = state.now();
        int status = attempt.status();
        if (attempt.retryAfterMillis() > 0 && (status == 429 || status == 529 || status == 503)) {
            key.coolUntil(now + attempt.retryAfterMillis());
        } else if (status == 401) {
            key.coolUntil(now + 60_000); // a refused credential: keep it out of traffic while the operator fixes it
        }
    }

    /**
     * Called when an attempt of this plan ended: a clean answer places the conversation there. A new conversation
     * served by a fallback of lower priority than its rule's first choice (that one failing, its breaker open) gets the
     * first choice as its home and the fallback as where it went meanwhile, so it returns once its home recovers. Homed
     * on the fallback, every conversation born during an outage stayed there for its life, priorities notwithstanding.
     */
    void ended(Attempt a) {
        if (conversation != null && a.committed() && a.status() >= 200 && a.status() < 300 && a.errorType() == null) {
            StickyTable.Spot spot = new StickyTable.Spot(a.target().upstream(), a.upstreamKeyAlias());
            TargetChoice preferred = order.getFirst();
            if (placement == null && priorityOf(spot.upstream()) > preferred.priority()) {
                state.sticky().servedAway(conversation, new StickyTable.Spot(preferred.upstream(), null), spot);
            } else {
                state.sticky().served(conversation, spot);
            }
        }
    }

    private int priorityOf(String upstream) {
        for (TargetChoice t : order) {
            if (t.upstream().equals(upstream)) {
                return t.priority();
            }
        }
        return Integer.MIN_VALUE;
    }

    /** The first available target; when none is, the first whose breaker allows; else the first. */
    private int firstAvailable(long now) {
        for (int i = 0; i < order.size(); i++) {
            if (available(i, now, false)) {
                return i;
            }
        }
        for (int i = 0; i < order.size(); i++) {
            if (state.health().of(order.get(i).upstream()).acquire(health, now)) {
                return i;
            }
        }
        return 0;
    }

    /**
     * True when target {@code i} has a key able to take the request and its breaker lets this request
     * through (taking a half-open breaker's probe slot); in a panic the breaker is not asked.
     */
    private boolean available(int i, long now, boolean panic) {
        TargetChoice t = order.get(i);
        UpstreamSpec spec = upstreams.get(t.upstream());
        return spec != null && state.balancer().anyUsable(spec, t.pool(), tokens, now)
                && (panic || state.health().of(t.upstream()).acquire(health, now));
    }

    /** True when target {@code i} still has a key this request has not used that can take it now. */
    private boolean hasFreshKey(int i, long now) {
        TargetChoice t = order.get(i);
        UpstreamSpec spec = upstreams.get(t.upstream());
        if (spec == null || !spec.hasKeys()) {
            return false;
        }
        Set<String> used = triedKeys.get(i);
        for (UpstreamKey k : spec.keys()) {
            if ((t.pool().isEmpty() || t.pool().contains(k.alias())) && !used.contains(k.alias())
                    && state.keys().of(spec.name(), k.alias()).usable(tokens, now)) {
                return true;
            }
        }
        return false;
    }

    private long keysReadyAt(int i, long now) {
        TargetChoice t = order.get(i);
        UpstreamSpec spec = upstreams.get(t.upstream());
        return spec == null || !spec.hasKeys() ? now : state.balancer().availableAt(spec, t.pool(), tokens, now);
    }

    /** Targets by priority, equal priorities in weighted random order, the conversation's home and away first. */
    static List<TargetChoice> order(List<TargetChoice> byPriority, StickyTable.Placement placement) {
        List<TargetChoice> out = new ArrayList<>(byPriority.size());
        int i = 0;
        while (i < byPriority.size()) {
            int j = i;
            while (j < byPriority.size() && byPriority.get(j).priority() == byPriority.get(i).priority()) {
                j++;
            }
            out.addAll(j - i == 1 ? byPriority.subList(i, j) : weightedShuffle(byPriority.subList(i, j)));
            i = j;
        }
        if (placement != null) {
            if (placement.away() != null) {
                toFront(out, placement.away().upstream());
            }
            toFront(out, placement.home().upstream());
        }
        return out;
    }

    /** Efraimidis–Spirakis: sort by {@code u^(1/w)} descending, so each target leads with probability weight / total. */
    private static List<TargetChoice> weightedShuffle(List<TargetChoice> group) {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        double[] keys = new double[group.size()];
        Integer[] idx = new Integer[group.size()];
        for (int k = 0; k < keys.length; k++) {
            keys[k] = Math.pow(r.nextDouble(), 1.0 / group.get(k).weight());
            idx[k] = k;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(keys[b], keys[a]));
        List<TargetChoice> out = new ArrayList<>(group.size());
        for (Integer k : idx) {
            out.add(group.get(k));
        }
        return out;
    }

    private static void toFront(List<TargetChoice> list, String upstream) {
        for (int k = 0; k < list.size(); k++) {
            if (list.get(k).upstream().equals(upstream)) {
                list.addFirst(list.remove(k));
                return;
            }
        }
    }
}
