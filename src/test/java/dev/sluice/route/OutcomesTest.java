package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Target;
import dev.sluice.upstream.TargetHealth.Outcome;
import org.junit.jupiter.api.Test;

class OutcomesTest {
    private final RouteFixture f = new RouteFixture(RoutePlanTest.YAML);
    private final Exchange ex = f.exchange();

    private Attempt attempt(String upstream, String key) {
        Attempt a = ex.newAttempt(new Target(upstream, "anthropic", "m"));
        a.upstreamKeyAlias(key);
        return a;
    }

    @Test
    void whatCountsAgainstAnUpstreamsHealth() {
        Attempt busy = attempt("primary", "p1");
        busy.fail(Attempt.Failure.STATUS, 529, "overloaded_error");
        assertThat(Outcomes.of(busy, true)).isEqualTo(Outcome.FAILURE);
        Attempt limited = attempt("primary", "p1");
        limited.fail(Attempt.Failure.STATUS, 429, "rate_limit_error");
        assertThat(Outcomes.of(limited, true)).as("the key's own limit").isEqualTo(Outcome.NEUTRAL);
        Attempt bad = attempt("primary", "p1");
        bad.fail(Attempt.Failure.STATUS, 400, "invalid_request_error");
        assertThat(Outcomes.of(bad, true)).as("a working upstream refusing a bad request").isEqualTo(Outcome.SUCCESS);
        Attempt cut = attempt("primary", "p1");
        cut.status(200);
        cut.commit();
        cut.errorType("api_error");
        assertThat(Outcomes.of(cut, true)).as("cut mid-stream").isEqualTo(Outcome.FAILURE);
        Attempt left = attempt("primary", "p1");
        left.status(200);
        left.errorType("client_closed");
        assertThat(Outcomes.of(left, true)).isEqualTo(Outcome.NEUTRAL);
        Attempt timeout = attempt("primary", "p1");
        timeout.fail(Attempt.Failure.FIRST_BYTE_TIMEOUT, 0, "timeout_error");
        assertThat(Outcomes.of(timeout, true)).as("a stream's first event late: the upstream is slow").isEqualTo(Outcome.FAILURE);
        assertThat(Outcomes.of(timeout, false)).as("a whole answer late: the caller asked for a long one")
                .isEqualTo(Outcome.NEUTRAL);
    }

    @Test
    void theTriedHeaderNamesEachAttemptAndNeverCarriesAControlCharacter() {
        Attempt a = attempt("primary", "p1");
        a.fail(Attempt.Failure.CONNECT, 0, "api_error");
        Attempt b = attempt("secondary", "s1");
        b.fail(Attempt.Failure.STATUS, 500, "weird\r\nx-injected: 1");
        Attempt c = attempt("secondary", null);
        c.status(200);
        assertThat(Outcomes.tried(ex)).isEqualTo("primary/p1 connect api_error, secondary/s1 500 weird??x-injected: 1, secondary 200");
    }
}
