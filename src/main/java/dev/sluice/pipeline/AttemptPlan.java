package dev.sluice.pipeline;

/**
 * Which target each upstream attempt of one request goes to. The route stage makes one per
 * request; the attempt loop asks it for the first target, and again after every attempt that
 * failed before anything reached the client. A plan decides retries, fallbacks and their delays;
 * the loop decides what "failed before anything reached the client" means.
 */
public interface AttemptPlan {
    /** A plan with one target and no retries (tools, tests, a stage that answers from one place). */
    static AttemptPlan only(Target target) {
        java.util.Objects.requireNonNull(target, "target");
        return new AttemptPlan() {
            @Override
            public Target first() {
                return target;
            }

            @Override
            public Retry next(Exchange ex, Attempt failed) {
                return null;
            }
        };
    }

    /** The first target. */
    Target first();

    /** The name of the route rule that made this plan (its own, else its place in the file), or null. */
    default String routeName() {
        return null;
    }

    /** Every target this plan may send an attempt to, the first included (policy that must hold on fallbacks too). */
    default java.util.List<Target> targets() {
        return java.util.List.of(first());
    }

    /**
     * The next step after {@code failed} (connection error, timeout, retryable status, an error as the
     * first stream event), or null to give up, in which case the failed attempt's answer is the
     * client's answer.
     */
    Retry next(Exchange ex, Attempt failed);

    /**
     * How long this attempt may wait for its first byte before it counts as failed (and the plan is
     * asked for the next step), or -1 for the upstream timeouts' own. A fallback chain sets it so a
     * silent primary is left quickly; the timeouts still bound it from above.
     */
    default long firstByteMillis(Attempt attempt) {
        return -1;
    }

    /**
     * This plan seen as {@code type} (an optional ability such as choosing keys), or null. A plan that
     * wraps another (a budget's degrade) answers for the one it wraps.
     */
    default <T> T as(Class<T> type) {
        return type.isInstance(this) ? type.cast(this) : null;
    }

    /**
     * @param target      where the next attempt goes
     * @param delayMillis how long to wait first (a short {@code retry-after}, a backoff)
     */
    record Retry(Target target, long delayMillis) {
    }
}
