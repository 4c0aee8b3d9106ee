package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.AttemptPlan;
import dev.sluice.pipeline.Exchange;
import dev.sluice.upstream.Upstreams;
import org.junit.jupiter.api.Test;

/** Attack round 34 (time): a request's retry budget is time that passed, whatever the wall clock does meanwhile. */
class RetryBudgetClockTest {
    private static final String YAML = """
            upstreams:
              - name: primary
                base-url: http://127.0.0.1:1
                keys: [{alias: p1, value: a}]
              - name: secondary
                base-url: http://127.0.0.1:2
                keys: [{alias: s1, value: c}]
            routes:
              - name: chain
                match: "claude-*"
                retry: {budget: 300ms}
                targets:
                  - {upstream: primary}
                  - {upstream: secondary}
            """;

    private final RouteFixture f = new RouteFixture(YAML);
    private final Upstreams ups = f.snapshot.get(Upstreams.PART);
    private final Exchange ex = f.exchange();

    private Attempt failed(RoutePlan plan, dev.sluice.pipeline.Target t) {
        Attempt a = RouteFixture.attempt(ex, plan, t, ups);
        a.fail(Attempt.Failure.STATUS, 529, "overloaded_error");
        return a;
    }

    @Test
    void a_clock_stepped_forward_does_not_end_the_retries_at_once() {
        RoutePlan plan = f.plan(f.traits("claude-x", null));
        Attempt a = failed(plan, plan.first());
        f.clock.addAndGet(3_600_000); // NTP steps a slow clock an hour forward, a millisecond after the plan was made
        AttemptPlan.Retry next = plan.next(ex, a);
        assertThat(next).as("the fallback is still within the 300 ms budget").isNotNull();
        assertThat(next.target().upstream()).isEqualTo("secondary");
    }

    @Test
    void a_clock_stepped_back_does_not_stretch_the_budget() {
        RoutePlan plan = f.plan(f.traits("claude-x", null));
        Attempt a = failed(plan, plan.first());
        f.clock.addAndGet(-3_600_000);
        f.pass(400); // past the budget in real time
        assertThat(plan.next(ex, a)).as("300 ms have passed, whatever the wall clock says").isNull();
    }
}
