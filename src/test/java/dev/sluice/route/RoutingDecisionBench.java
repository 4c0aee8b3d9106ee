package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.front.anthropic.AnthropicProtocol;
import dev.sluice.pipeline.Attempt;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.Operation;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.Upstreams;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routing decision on the request path (target: at most 50 µs p99): alias resolution, the
 * allow-list, rule matching over seven rules (caller, header, budget, size, images, tools and
 * thinking, then a catch-all) against a Claude-Code-sized body (about 110 KB: long system prompt, 16
 * tools, a 60 KB conversation), building the plan (priorities, weights, breakers, sticky lookup over
 * 1,000 live conversations) and choosing the first attempt's key among three. One thread, 50k
 * warm-up decisions, then 200k timed ones, each timed alone with {@code System.nanoTime}. Run alone:
 * {@code ./mvnw -q -o test -Dtest=RoutingDecisionBench}; the numbers go to docs/bench/route.md.
 */
class RoutingDecisionBench {
    static final String YAML = """
            upstreams:
              - name: primary
                base-url: http://127.0.0.1:1
                keys: [{alias: k1, value: a}, {alias: k2, value: b}, {alias: k3, value: c}]
              - {name: secondary, base-url: "http://127.0.0.1:2", keys: [{alias: s1, value: d}]}
              - {name: cheap, base-url: "http://127.0.0.1:3", keys: [{alias: c1, value: e}]}
            routing:
              models:
                - {id: claude-sonnet-4-5-20250929, aliases: [sonnet]}
                - {id: claude-haiku-4-5-20251001, aliases: [haiku]}
              access:
                - {team: contractors, models: ["claude-haiku-*"]}
            routes:
              - {name: interns, when: {caller: {teams: [interns]}}, upstream: cheap}
              - {name: batch, when: {headers: {x-batch: "yes"}}, upstream: cheap}
              - {name: near-cap, when: {budget: [exhausted]}, upstream: cheap, model: claude-haiku-4-5-20251001}
              - {name: tiny, when: {input-tokens: {below: 2000}}, upstream: cheap}
              - {name: pictures, when: {images: true}, upstream: secondary}
              - {name: agents, when: {tools: true, thinking: true}, targets: [{upstream: primary}, {upstream: secondary}]}
              - name: chain
                targets: [{upstream: primary, weight: 3, priority: 1}, {upstream: cheap, weight: 1, priority: 1}, {upstream: secondary, priority: 2}]
            """;

    @Test
    void decidesWithinFiftyMicrosecondsAtP99() throws Exception {
        double synthetic = run("synthetic 60 KB history", RequestBody.of(claudeCodeBody()));
        byte[] demo;
        try (var in = RoutingDecisionBench.class.getResourceAsStream("/demo/claude-code-request.json")) {
            demo = in.readAllBytes();
        }
        double real = run("demo/claude-code-request.json", RequestBody.of(demo));
        assertThat(Math.max(synthetic, real)).as("p99 in microseconds (loose: a shared machine)").isLessThan(500);
    }

    private static double run(String what, RequestBody body) {
        RouteFixture f = new RouteFixture(YAML);
        Router router = f.router();
        Upstreams ups = f.snapshot.get(Upstreams.PART);
        RequestFacts facts = AnthropicProtocol.INSTANCE.inspect(Operation.MESSAGES, body).facts();
        Identity who = new Identity("key-1", "dev", "user-1", "payments", "org", Map.of());
        Exchange ex = f.exchange();
        String[] sessions = new String[1_000];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = "session-" + i;
        }
        int warm = 50_000;
        int n = 200_000;
        long[] nanos = new long[n];
        long sink = 0;
        for (int i = 0; i < warm + n; i++) {
            String session = sessions[i % sessions.length];
            long t0 = System.nanoTime();
            String model = router.catalog().resolve(facts.model());
            if (router.access().denial(who, facts.model(), model) != null) {
                throw new AssertionError("denied");
            }
            RequestTraits t = new RequestTraits(facts.model(), model, who, h -> null, body, facts, () -> BudgetSignal.Level.OK,
                    () -> session, f.clock.get());
            Rule rule = router.match(t);
            RoutePlan plan = new RoutePlan(rule, f.state, ups, f.snapshot.config().routing().health(), t);
            Attempt a = new Attempt(1, plan.first());
            UpstreamKey key = plan.key(ex, ups.get(plan.first().upstream()), a);
            long took = System.nanoTime() - t0;
            if (i >= warm) {
                nanos[i - warm] = took;
            }
            sink += key.alias().length() + rule.name().length();
            if (i < sessions.length) {
                a.upstreamKeyAlias(key.alias());
                a.status(200);
                a.commit();
                plan.ended(a); // every conversation has a home: the sticky lookup is a hit from here on
            }
        }
        Arrays.sort(nanos);
        double p50 = nanos[n / 2] / 1e3;
        double p99 = nanos[(int) (n * 0.99)] / 1e3;
        double p999 = nanos[(int) (n * 0.999)] / 1e3;
        System.out.printf("routing decision, %s (%d bytes): p50 %.1f us, p99 %.1f us, p99.9 %.1f us over %d (sink %d)%n",
                what, body.length(), p50, p99, p999, n, sink);
        return p99;
    }

    /** About what Claude Code sends mid-session: a long system prompt, 16 tools with schemas, a 60 KB history. */
    static String claudeCodeBody() {
        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            tools.append(i == 0 ? "" : ",").append("{\"name\":\"Tool").append(i).append("\",\"description\":\"")
                    .append("Does a useful thing with files and shells. ".repeat(40)).append("\",\"input_schema\":{\"type\":\"object\","
                            + "\"properties\":{\"path\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\"}},\"required\":[\"path\"]}}");
        }
        StringBuilder messages = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            messages.append(i == 0 ? "" : ",").append("{\"role\":\"").append(i % 2 == 0 ? "user" : "assistant")
                    .append("\",\"content\":[{\"type\":\"text\",\"text\":\"").append("Some code and some talk about it. ".repeat(45))
                    .append("\"}]}");
        }
        return "{\"model\":\"sonnet\",\"max_tokens\":32000,\"stream\":true,\"system\":[{\"type\":\"text\",\"text\":\""
                + "You are Claude Code. ".repeat(700) + "\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"tools\":[" + tools
                + "],\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":31999},\"metadata\":{\"user_id\":\"u\"},\"messages\":["
                + messages + "]}";
    }
}
