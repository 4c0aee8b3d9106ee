package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.pipeline.Target;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final SluiceConfig CONFIG = new ConfigLoader(Map.of()).parse("routes.yaml", """
            upstreams:
              - name: main
                base-url: http://127.0.0.1:1
              - name: cheap
                base-url: http://127.0.0.1:2
            routes:
              - match: "claude-*-haiku*"
                upstream: cheap
              - match: "fast"
                upstream: cheap
                model: claude-haiku-4-5-20251001
              - match: "claude-opus-*"
                upstream: main
                model: "claude-opus-5-5"
              - match: "claude-*"
                upstream: main
            """);

    private final Router router = new Router(CONFIG);

    @Test
    void theFirstMatchingRuleWins() {
        assertThat(router.route("claude-3-5-haiku-20241022")).isEqualTo(new Target("cheap", "anthropic", "claude-3-5-haiku-20241022"));
        assertThat(router.route("claude-sonnet-4-6")).isEqualTo(new Target("main", "anthropic", "claude-sonnet-4-6"));
    }

    @Test
    void aRuleWithAModelRenamesIt() {
        assertThat(router.route("fast")).isEqualTo(new Target("cheap", "anthropic", "claude-haiku-4-5-20251001"));
        assertThat(router.route("claude-opus-4-1-20250805").servedModel()).isEqualTo("claude-opus-5-5");
    }

    @Test
    void noMatchingRuleIsNoTarget() {
        assertThat(router.route("gpt-4o")).isNull();
        assertThat(router.route("fast-er")).isNull();
    }

    @Test
    void aRequestWithoutAModelTakesTheFirstRule() {
        assertThat(router.route(null)).isEqualTo(new Target("cheap", "anthropic", null));
    }

    @Test
    void placingAMessageBatchRequestResolvesAliasesAppliesTheAllowListAndTakesTheFirstPriority() {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("batches.yaml", """
                upstreams:
                  - {name: main, base-url: "http://127.0.0.1:1", keys: [{alias: k1, value: a}, {alias: k2, value: b}]}
                  - {name: spare, base-url: "http://127.0.0.1:2"}
                routing:
                  models:
                    - {id: claude-sonnet-4-5-20250929, aliases: [sonnet]}
                  access:
                    - {team: contractors, models: ["claude-haiku-*"]}
                routes:
                  - match: "claude-*"
                    targets: [{upstream: spare, priority: 2}, {upstream: main, keys: [k2], priority: 1}]
                """);
        Router r = new Router(config);
        dev.sluice.pipeline.Identity dev = new dev.sluice.pipeline.Identity("k", "k", "u", "core", "o", Map.of());
        Router.Placement p = r.place(dev, "sonnet", 0);
        assertThat(p.target()).isEqualTo(new Target("main", "anthropic", "claude-sonnet-4-5-20250929"));
        assertThat(p.keys()).containsExactly("k2");
        assertThat(r.place(dev, "gpt-4o", 0)).isNull();
        dev.sluice.pipeline.Identity contractor = new dev.sluice.pipeline.Identity("c", "c", "u2", "contractors", "o", Map.of());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.place(contractor, "sonnet", 0))
                .isInstanceOf(dev.sluice.wire.ApiError.class).hasMessageContaining("sonnet");
    }

    @Test
    void withoutRoutesEverythingGoesToTheFirstUpstream() {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("none.yaml", """
                upstreams:
                  - name: only
                    base-url: http://127.0.0.1:3
                  - name: other
                    base-url: http://127.0.0.1:4
                """);
        Router r = new Router(config);
        assertThat(r.route("anything-at-all")).isEqualTo(new Target("only", "anthropic", "anything-at-all"));
    }
}
