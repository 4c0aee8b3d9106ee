package dev.sluice.cache.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.CacheMode;
import dev.sluice.cache.CacheScope;
import dev.sluice.cache.key.KeyRule;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.SluiceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cache:} section: defaults, per-model overrides with inheritance, and errors that name the key. */
class CacheRulesTest {
    private static CacheRules compile(String yaml) {
        SluiceConfig c = new ConfigLoader(Map.of()).parse("t.yaml", yaml);
        return LiveConfig.fixed(c, List.of(CacheRules.PART)).current().get(CacheRules.PART);
    }

    @Test
    void withoutASectionTheCacheIsOffAndWithAnEmptyOneItIsOnWithTheDefaults() {
        assertThat(compile("server: {port: 0}").enabled()).isFalse();
        CacheRules on = compile("cache: {}");
        assertThat(on.enabled()).isTrue();
        CacheRules.RoutePolicy p = on.forModel("claude-sonnet-4-5");
        assertThat(p.policy().mode()).isEqualTo(CacheMode.ON);
        assertThat(p.policy().scope()).isEqualTo(CacheScope.ORG);
        assertThat(p.policy().defaultTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(p.policy().rules().has(KeyRule.WORKSPACE_PATHS)).isTrue();
        assertThat(p.ttlUpgrade()).isFalse();
        assertThat(compile("cache: {enabled: false}").enabled()).isFalse();
    }

    @Test
    void normaliseUpstreamIsOffByDefaultAndSetPerRouteLikeTheTtlUpgrade() {
        assertThat(compile("cache: {}").forModel("claude-opus-5-5").normaliseUpstream()).isFalse();
        CacheRules r = compile("""
                cache:
                  defaults: {normalise-upstream: true}
                  routes:
                    - {match: "claude-*haiku*", normalise-upstream: false}
                    - {match: "claude-opus-*", ttl: 2m}
                """);
        assertThat(r.forModel("claude-3-5-haiku-latest").normaliseUpstream()).isFalse();
        assertThat(r.forModel("claude-opus-5-5").normaliseUpstream()).as("inherited").isTrue();
        assertThat(r.forModel("gpt-4o").normaliseUpstream()).isTrue();
    }

    @Test
    void forkBreakpointIsOffByDefaultAndSetPerRoute() {
        assertThat(compile("cache: {}").forModel("claude-opus-5-5").forkBreakpoint()).isFalse();
        CacheRules r = compile("""
                cache:
                  defaults: {fork-breakpoint: true}
                  routes:
                    - {match: "claude-*haiku*", fork-breakpoint: false}
                """);
        assertThat(r.forModel("claude-3-5-haiku-latest").forkBreakpoint()).isFalse();
        assertThat(r.forModel("claude-opus-5-5").forkBreakpoint()).as("inherited").isTrue();
    }

    @Test
    void routesOverrideTheDefaultsFirstMatchWinsAndInheritTheRest() {
        CacheRules r = compile("""
                cache:
                  defaults: {scope: team, ttl: 10m, namespace: v1}
                  routes:
                    - {match: "claude-*haiku*", mode: off}
                    - {match: "claude-*", mode: read-only, ttl: 2m, rules: [workspace-paths@1, text-whitespace]}
                    - {match: "claude-opus-*", mode: write-only}
                """);
        assertThat(r.forModel("claude-3-5-haiku-latest").policy().mode()).isEqualTo(CacheMode.OFF);
        CacheRules.RoutePolicy opus = r.forModel("claude-opus-4");
        assertThat(opus.policy().mode()).as("first match wins").isEqualTo(CacheMode.READ_ONLY);
        assertThat(opus.policy().scope()).as("inherited").isEqualTo(CacheScope.TEAM);
        assertThat(opus.policy().namespace()).isEqualTo("v1");
        assertThat(opus.policy().defaultTtl()).isEqualTo(Duration.ofMinutes(2));
        assertThat(opus.policy().rules().rules()).containsExactlyInAnyOrder(KeyRule.WORKSPACE_PATHS, KeyRule.TEXT_WHITESPACE);
        CacheRules.RoutePolicy other = r.forModel("gpt-4o");
        assertThat(other.policy().mode()).isEqualTo(CacheMode.ON);
        assertThat(other.policy().defaultTtl()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void yamlOnAndOffAreModesNotBooleans() {
        CacheRules r = compile("cache: {routes: [{match: a, mode: off}, {match: b, mode: on}]}");
        assertThat(r.forModel("a").policy().mode()).isEqualTo(CacheMode.OFF);
        assertThat(r.forModel("b").policy().mode()).isEqualTo(CacheMode.ON);
    }

    @Test
    void everyProblemIsReportedAtOnceNamingItsKey() {
        assertThatThrownBy(() -> compile("""
                cache:
                  store: {kind: disk, budget: 10KB}
                  key-hash: md5
                  defaults: {match: x, scope: galaxy, ttl: 2h, max-ttl: 1h}
                  routes:
                    - {mode: sometimes}
                    - {match: "a*", mode: sometimes, rules: [workspace-paths@2, no-such-rule], namespace: "has space"}
                """))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("cache.store.kind: 'disk' (expected: memory or redis)")
                .hasMessageContaining("cache.store.budget: '10240'")
                .hasMessageContaining("cache.key-hash: 'md5'")
                .hasMessageContaining("cache.defaults.match: 'x'")
                .hasMessageContaining("cache.defaults.scope: 'galaxy' (expected: org, team, user or key)")
                .hasMessageContaining("cache.defaults.max-ttl: '3600s' (expected: at least the ttl (7200s)")
                .hasMessageContaining("cache.routes[0].match: 'null'")
                .hasMessageContaining("cache.routes[1].mode: 'sometimes' (expected: on, off, read-only or write-only)")
                .hasMessageContaining("cache.routes[1].rules[0]: 'workspace-paths@2' (expected: version 1 of workspace-paths")
                .hasMessageContaining("cache.routes[1].rules[1]: 'no-such-rule' (expected: one of claude-code-billing-header,")
                .hasMessageContaining("cache.routes[1].namespace: 'has space'");
    }

    @Test
    void redisNeedsAUrlAndAnUnknownKeyIsNamed() {
        assertThatThrownBy(() -> compile("cache: {store: {kind: redis}}"))
                .hasMessageContaining("cache.store.url: 'null' (expected: a redis:// or rediss:// URL");
        assertThatThrownBy(() -> compile("cache: {ttl: 5m}"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'cache.ttl'").hasMessageContaining("defaults");
        assertThat(compile("cache: {store: {kind: redis, url: \"redis://127.0.0.1:1\"}}").enabled()).isTrue();
    }

    @Test
    void globsAreLiteralExceptTheirStars() {
        assertThat(CacheRules.glob("claude-*haiku*").matcher("claude-3-5-haiku-latest").matches()).isTrue();
        assertThat(CacheRules.glob("claude-3.5").matcher("claude-3x5").matches()).as("a dot is literal").isFalse();
        assertThat(CacheRules.glob("*").matcher("").matches()).isTrue();
        assertThat(CacheRules.glob("a*").matcher("ba").matches()).isFalse();
    }
}
