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
