package dev.sluice.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Cost;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.pipeline.Target;
import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Usage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.http.HttpServerRequest;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/**
 * A request that fell back from one provider to another after the first had reported usage: its tokens and dollars
 * go under the provider and model each attempt used, as the ledger files them, not all under the last one.
 */
class SpendByAttemptMetricsTest {

    @Test
    void aFallenBackRequestsSpendIsFiledPerAttempt() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestMetrics metrics = new RequestMetrics(registry);
        Exchange ex = new Exchange("req-1", System.nanoTime(), request(), Operation.MESSAGES, "POST /v1/messages", null, null);
        ex.facts(new RequestFacts("claude-sonnet-4-5", true, 1000, 1, null, 100, java.util.List.of(), java.util.List.of()));

        Attempt first = ex.newAttempt(new Target("bedrock-east", "bedrock", "claude-sonnet-4-5-bedrock"));
        first.report(report(Usage.of(1_000, 0)));
        first.cost(new Cost(3_000_000, 0, false));
        first.fail(Attempt.Failure.CONNECT, 200, "overloaded_error");
        Attempt second = ex.newAttempt(new Target("anthropic", "anthropic", "claude-sonnet-4-5"));
        second.report(report(Usage.of(1_000, 50)));
        second.cost(new Cost(3_750_000, 0, false));
        ex.status(200);

        metrics.observe(ex);

        assertThat(cost(registry, "bedrock", "claude-sonnet-4-5-bedrock")).isCloseTo(0.003, within(1e-12));
        assertThat(cost(registry, "anthropic", "claude-sonnet-4-5")).isCloseTo(0.00375, within(1e-12));
        assertThat(tokens(registry, "bedrock", "input")).isEqualTo(1_000);
        assertThat(tokens(registry, "anthropic", "input")).isEqualTo(1_000);
        assertThat(tokens(registry, "anthropic", "output")).isEqualTo(50);
        assertThat(tokens(registry, "bedrock", "output")).isZero();
    }

    private static double cost(SimpleMeterRegistry registry, String provider, String model) {
        Counter c = registry.find("sluice.cost.usd").tag("provider", provider).tag("model", model).counter();
        assertThat(c).as("sluice.cost.usd for %s/%s", provider, model).isNotNull();
        return c.count();
    }

    private static double tokens(SimpleMeterRegistry registry, String provider, String kind) {
        Counter c = registry.find("sluice.tokens").tag("provider", provider).tag("kind", kind).counter();
        assertThat(c).as("sluice.tokens for %s/%s", provider, kind).isNotNull();
        return c.count();
    }

    private static UsageReport report(Usage usage) {
        return new UsageReport() {
            @Override
            public Usage usage() {
                return usage;
            }
            @Override
            public boolean estimated() {
                return false;
            }
            @Override
            public String servedModel() {
                return null;
            }
            @Override
            public String errorType() {
                return null;
            }
            @Override
            public boolean complete() {
                return true;
            }
        };
    }

    private static HttpServerRequest request() {
        return (HttpServerRequest) Proxy.newProxyInstance(SpendByAttemptMetricsTest.class.getClassLoader(),
                new Class<?>[] {HttpServerRequest.class}, (proxy, method, args) -> {
                    Class<?> t = method.getReturnType();
                    return t == boolean.class ? Boolean.FALSE : t == long.class ? 0L : t == int.class ? 0 : null;
                });
    }
}
