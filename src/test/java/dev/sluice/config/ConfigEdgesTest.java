package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration values at the edge (attack round 27): what a file may not say without being refused by name. */
class ConfigEdgesTest {
    private static SluiceConfig parse(String yaml) {
        return new ConfigLoader(Map.of()).parse("sluice.yaml", yaml);
    }

    @Test
    void anAliasIsRefusedWithItsKeyInsteadOfBecomingTheAnchorsName() {
        // Before: the admin key was the text "k", one letter anyone could guess, with the write role.
        assertThatThrownBy(() -> parse("""
                auth: {keys: [&k "a-long-gateway-secret"]}
                admin:
                  keys: [{value: *k, role: write, name: ops}]
                """)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("key 'admin.keys[0].value'").hasMessageContaining("alias (*k)")
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> parse("auth: {keys: &k [a, b]}\nguard: {rules: {pii: *k}}\n"))
                .hasMessageContaining("key 'guard.rules.pii'").hasMessageContaining("alias (*k)");
    }

    @Test
    void anAnchorWithoutAliasStillReads() {
        assertThat(parse("server: {port: &p 9999}\n").server().port()).isEqualTo(9999);
    }

    @Test
    void aKeyWrittenTwiceIsRefusedNotDecidedByTheLastOne() {
        // Before: two auth sections, the second (open) won in silence; a repeated port, the last one.
        assertThatThrownBy(() -> parse("auth: {keys: [k1]}\nserver: {port: 1}\nauth: {open: true}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'auth' is written twice")
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> parse("server:\n  port: 1\n  port: 2\n"))
                .hasMessageContaining("key 'server.port' is written twice");
    }
}
