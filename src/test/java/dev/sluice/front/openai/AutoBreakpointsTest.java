package dev.sluice.front.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code routing.prompt-cache-breakpoints} and a route's own switch, compiled as the live configuration does. */
class AutoBreakpointsTest {
    private static AutoBreakpoints compile(String yaml) {
        SluiceConfig config = new ConfigLoader(Map.of()).parse("sluice.yaml", """
                upstreams: [{name: anthropic, base-url: "https://api.anthropic.com", keys: [{alias: a, value: k}]}]
                """ + yaml);
        return AutoBreakpoints.compile(config);
    }

    @Test
    void onByDefaultWithFiveMinutesAndTwoUserTurns() {
        AutoBreakpoints p = compile("");
        assertThat(p.enabledFor("routes[0]")).isTrue();
        assertThat(p.enabledFor(null)).isTrue();
        assertThat(new String(p.marker(), StandardCharsets.US_ASCII)).isEqualTo(",\"cache_control\":{\"type\":\"ephemeral\"}");
        assertThat(p.userTurns()).isEqualTo(2);
    }

    @Test
    void aRoutesSwitchWinsOverTheGlobalOneByTheNameTheRouteStageGivesIt() {
        AutoBreakpoints p = compile("""
                routing: {prompt-cache-breakpoints: {enabled: false, ttl: 1h, user-turns: 1}}
                routes:
                  - {match: "claude-*", upstream: anthropic, prompt-cache-breakpoints: true}
                  - {name: haiku, match: "*haiku*", upstream: anthropic, prompt-cache-breakpoints: true}
                  - {match: "*", upstream: anthropic}
                """);
        assertThat(p.enabledFor("routes[0]")).isTrue();
        assertThat(p.enabledFor("haiku")).isTrue();
        assertThat(p.enabledFor("routes[1]")).isFalse();
        assertThat(p.enabledFor("routes[2]")).isFalse();
        assertThat(new String(p.marker(), StandardCharsets.US_ASCII)).endsWith("\"ttl\":\"1h\"}");
        assertThat(p.userTurns()).isEqualTo(1);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> compile("routing: {prompt-cache-breakpoints: {ttl: 10m}}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("routing.prompt-cache-breakpoints.ttl: '10m' (expected: 5m or 1h)");
        assertThatThrownBy(() -> compile("routing: {prompt-cache-breakpoints: {user-turns: 3}}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("routing.prompt-cache-breakpoints.user-turns: 3 (expected: 0, 1 or 2)");
        assertThatThrownBy(() -> compile("routing: {prompt-cache-breakpoints: {enabled: true, turns: 2}}\n"))
                .hasMessageContaining("turns");
    }
}
