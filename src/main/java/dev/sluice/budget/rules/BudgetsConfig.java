package dev.sluice.budget.rules;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code budgets:} section of {@code sluice.yaml}, as written (kebab-case keys, bound by the config loader).
 * Nothing here is validated; {@link BudgetRules#compile} does that with messages naming the key. Every part is
 * optional: no section means no budgets.
 *
 * <pre>
 * budgets:
 *   time-zone: Europe/Berlin            # calendar periods start at midnight here (default UTC)
 *   contact: your platform team         # "ask ... for an increase" when a budget has no owner contact
 *   degrade: [claude-opus-4-6, claude-sonnet-4-6, claude-haiku-4-5-20251001]   # most to least expensive
 *   counters: {store: redis, redis-url: "redis://127.0.0.1:6379", on-redis-failure: fail-open}
 *   # leases (on by default with Redis): {enabled: true, share: 8, requests: 16, flush: 20ms, ttl: 30s, idle: 5s}
 *   list:
 *     - {name: acme-monthly, level: org, id: acme, usd: 20000, period: monthly}
 *     - name: payments
 *       level: team
 *       id: payments
 *       usd: 500
 *       period: monthly
 *       thresholds: [{at: 75, action: alert}, {at: 90, action: degrade}, {at: 100, action: block}]
 *       owner: {contact: "#payments-eng", sinks: [slack-ops]}
 *       pool: {shares: {ana: 100, bob: 100}, overflow: 300, rebalance-at: 50}
 *     - {name: each-dev, level: user, id: "*", usd: 150, period: monthly}
 *     - {name: copilot, level: tag, id: "feature=support-copilot", tokens: 50000000, token-kind: total, period: "rolling 7d"}
 * </pre>
 */
public record BudgetsConfig(String timeZone, String contact, List<String> degrade, List<Integer> defaultThresholds,
                            CountersConfig counters, OutputEstimateConfig outputEstimate, List<BudgetConfig> list,
                            AlertsConfig alerts, List<RateLimitConfig> rateLimits, FairQueueConfig fairQueue) {

    public BudgetsConfig {
        list = list == null ? List.of() : List.copyOf(list);
        degrade = degrade == null ? List.of() : List.copyOf(degrade);
        rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
        counters = counters == null ? new CountersConfig(null, null, null, null, null, null, null) : counters;
        outputEstimate = outputEstimate == null ? new OutputEstimateConfig(null, null, null) : outputEstimate;
        alerts = alerts == null ? new AlertsConfig(null, null, null, null) : alerts;
    }

    public static BudgetsConfig defaults() {
        return new BudgetsConfig(null, null, null, null, null, null, null, null, null, null);
    }

    /**
     * One budget.
     *
     * @param level      org, team, user, key or tag
     * @param id         the org/team/user/key id, {@code *} for "each one separately", or for tags {@code name=value}
     *                   ({@code name=*}: each value separately)
     * @param usd        the amount in USD, or null
     * @param tokens     the amount in tokens, or null
     * @param tokenKind  input, output or total (default total)
     * @param period     daily, weekly, monthly (calendar) or {@code rolling 7d}
     * @param thresholds percent and action; default 75 alert, 90 alert, 100 block
     * @param degrade    this budget's own degrade chain (default: the section's)
     */
    public record BudgetConfig(String name, String level, String id, BigDecimal usd, Long tokens, String tokenKind,
                               String period, List<ThresholdConfig> thresholds, List<String> degrade, OwnerConfig owner,
                               PoolConfig pool) {
    }

    public record ThresholdConfig(Integer at, String action) {
    }

    /**
     * Who a budget belongs to.
     *
     * @param contact whom to ask for more (shown in the block message)
     * @param sinks   alert sinks (by name) this budget's alerts go to; default: the alerts section's defaults
     */
    public record OwnerConfig(String contact, List<String> sinks) {
    }

    /**
     * A team (or org, or tag) budget split into member shares plus an overflow pool.
     *
     * @param shares       member user id → USD (or tokens) reserved for them
     * @param defaultShare the share of a member not listed (default 0: they draw from overflow only)
     * @param overflow     the pool members draw from once their share is used (default: amount − listed shares)
     * @param rebalanceAt  percent of the period after which unused shares move to the overflow pool (absent: never)
     */
    public record PoolConfig(Map<String, BigDecimal> shares, BigDecimal defaultShare, BigDecimal overflow, Integer rebalanceAt) {
    }

    /**
     * Where counters live.
     *
     * @param store          memory (one replica) or redis (several)
     * @param redisUrl       {@code redis://host:port[/db]}
     * @param onRedisFailure fail-open (count locally, admit) or fail-closed (refuse with 503-style fetch_error)
     * @param timeout        how long a Redis call may take before it counts as a failure
     * @param reservationTtl how long an unsettled reservation holds budget before it is released as abandoned
     * @param maxEntities    bound on distinct counters for {@code *} budgets (client-supplied tag values)
     * @param leases         with Redis: each replica leases headroom and serves far-from-the-line requests from it in
     *                       memory (default on); see docs/bench/budget.md
     */
    public record CountersConfig(String store, String redisUrl, String onRedisFailure, Duration timeout,
                                 Duration reservationTtl, Integer maxEntities, LeaseConfig leases) {
    }

    /**
     * Per-replica leases of budget headroom (Redis counters only).
     *
     * @param enabled  false: every request reserves and settles in Redis one by one
     * @param share    a lease grows by at most 1/share of a line's headroom (default 8)
     * @param requests headroom a lease asks for, in worst cases of the line's largest request (default 16)
     * @param flush    how often settled spend is sent and leases resized (default 20ms)
     * @param ttl      a lease not renewed this long is released (a crashed replica's; default 30s)
     * @param idle     a lease unused this long is given back (default 5s)
     */
    public record LeaseConfig(Boolean enabled, Integer share, Integer requests, Duration flush, Duration ttl, Duration idle) {
    }

    /**
     * The calibrated output reservation.
     *
     * @param initialTokens output tokens assumed before anything has been observed for a model
     * @param sigmas        how many standard deviations above the observed mean to reserve
     * @param minTokens     never reserve fewer
     */
    public record OutputEstimateConfig(Long initialTokens, Double sigmas, Long minTokens) {
    }

    public record AlertsConfig(List<SinkConfig> sinks, List<String> defaultSinks, Integer retries, Integer queue) {
    }

    /**
     * An alert destination.
     *
     * @param kind webhook (generic JSON), slack (incoming webhook) or email (SMTP)
     */
    public record SinkConfig(String name, String kind, String url, Map<String, String> headers, String smtpHost,
                             Integer smtpPort, String from, List<String> to, String username, String password,
                             Boolean starttls, Duration timeout) {
        @Override
        public String toString() {
            return "SinkConfig[name=" + name + ", kind=" + kind + ", url=" + (url == null ? null : "(set)") + "]";
        }
    }

    /**
     * A rate limit.
     *
     * @param level     key, user, team or upstream-key
     * @param id        an id or {@code *} (each one separately)
     * @param algorithm sliding-window (default) or token-bucket
     */
    public record RateLimitConfig(String name, String level, String id, Long requestsPerMinute, Long tokensPerMinute,
                                  String algorithm) {
    }

    /**
     * Sharing a saturated upstream account between teams.
     *
     * @param maxConcurrent requests in flight per upstream key before queueing
     * @param queueSize     waiting requests per upstream key before a 429
     * @param maxWait       longest wait in the queue before a 429
     * @param weights       team id → weight (default 1)
     */
    public record FairQueueConfig(Integer maxConcurrent, Integer queueSize, Duration maxWait, Map<String, Integer> weights) {
    }
}
