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

    @Test
    void aDurationPastAHundredYearsIsRefusedByKeyNotOverflowing() {
        // Before: "long overflow" from the validator (a start failed with no key named) and a 20-digit number's
        // "For input string"; the admin API's since= answered 500.
        assertThatThrownBy(() -> parse("timeouts: {first-byte: 9000000000000h}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("key 'timeouts.first-byte'")
                .hasMessageContaining("up to 36500d");
        assertThatThrownBy(() -> parse("timeouts: {connect: 99999999999999999999h}\n"))
                .hasMessageContaining("key 'timeouts.connect'").hasMessageContaining("up to 36500d");
        assertThat(Durations.parse("36500d")).isEqualTo(Durations.MAX);
        assertThat(Durations.parse("0000010s")).hasSeconds(10);
    }

    @Test
    void adminKeysThatClashAreRefusedWithoutShowingTheSecret() {
        // Before: the same secret as write and read was accepted (the write role won); same names; a developer's key.
        String message = problem("""
                auth: {keys: [dev-key-123456]}
                admin:
                  keys:
                    - {value: shared-secret-987, role: write, name: ops}
                    - {value: shared-secret-987, role: read, name: viewer}
                    - {value: other-secret-555, role: read, name: ops}
                    - {value: dev-key-123456, role: read, name: dev}
                """);
        assertThat(message).contains("admin.keys[1].value: the same secret as admin.keys[0]")
                .contains("admin.keys[2].name: 'ops', as admin.keys[0]")
                .contains("admin.keys[3].value: the same secret as a gateway key in auth.keys")
                .doesNotContain("shared-secret-987").doesNotContain("dev-key-123456");
    }

    private static String problem(String yaml) {
        try {
            parse(yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }
}
