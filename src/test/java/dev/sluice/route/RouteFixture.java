package dev.sluice.route;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.upstream.Upstreams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Routing pieces built from YAML, without a running gateway: a snapshot, request traits, a manual clock. */
final class RouteFixture {
    final Snapshot snapshot;
    final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    /** The monotonic clock: what really passed. {@link #pass} moves both. */
    final AtomicLong ticks = new AtomicLong(42_000);
    final RoutingState state;

    RouteFixture(String yaml) {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("test.yaml", yaml);
        this.snapshot = Snapshot.of(config, List.of(Upstreams.PART, Router.PART));
        this.state = new RoutingState(config, BudgetSignal.ALWAYS_OK, clock::get, ticks::get);
    }

    /** {@code millis} really pass: the wall clock and the monotonic one move together. */
    void pass(long millis) {
        clock.addAndGet(millis);
        ticks.addAndGet(millis);
    }

    Router router() {
        return snapshot.get(Router.PART);
    }

    /** A request for {@code model} with a small body, in session {@code session} (null: none). */
    RequestTraits traits(String model, String session) {
        return traits(model, body(model, "hello"), Identity.OPEN, Map.of(), session, BudgetSignal.Level.OK);
    }

    RequestTraits traits(String model, String json, Identity who, Map<String, String> headers, String session,
                         BudgetSignal.Level budget) {
        RequestBody body = RequestBody.of(json);
        RequestFacts facts = AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, body).facts();
        return new RequestTraits(model, router().catalog().resolve(model), who, headers::get, body, facts, () -> budget,
                () -> session, clock.get());
    }

    /** A plan for a request, by the rule that matches it. */
    RoutePlan plan(RequestTraits t) {
        Rule rule = router().match(t);
        return new RoutePlan(rule, state, snapshot.get(Upstreams.PART), snapshot.config().routing().health(), t);
    }

    Exchange exchange() {
        return new Exchange("req_test", System.nanoTime(), null, Operation.MESSAGES, "POST /v1/messages",
                AnthropicProtocol.INSTANCE, snapshot);
    }

    /** Starts the next attempt on the plan's current target with the key the plan picks. */
    static Attempt attempt(Exchange ex, RoutePlan plan, dev.sluice.pipeline.Target target, Upstreams ups) {
        Attempt a = ex.newAttempt(target);
        var key = plan.key(ex, ups.get(target.upstream()), a);
        a.upstreamKeyAlias(key == null ? null : key.alias());
        return a;
    }

    static String body(String model, String text) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}";
    }
}
