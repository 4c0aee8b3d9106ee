package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private static SluiceConfig parse(Map<String, String> env, String yaml) {
        return new ConfigLoader(env).parse("sluice.yaml", yaml);
    }

    private static String problem(Map<String, String> env, String yaml) {
        try {
            parse(env, yaml);
        } catch (ConfigException e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a ConfigException for:\n" + yaml);
    }

    @Test
    void environmentVariablesAreSubstituted() {
        SluiceConfig c = parse(Map.of("UP_URL", "http://10.0.0.1:9000/prefix", "UP_KEY", "sk-ant-1", "PORT", "9999"), """
                server:
                  port: ${PORT}
                upstreams:
                  - name: a
                    base-url: ${UP_URL}
                    keys:
                      - alias: one
                        value: ${UP_KEY}
                """);
        assertThat(c.server().port()).isEqualTo(9999);
        assertThat(c.upstreams().getFirst().baseUrl()).isEqualTo("http://10.0.0.1:9000/prefix");
        assertThat(c.upstreams().getFirst().keys().getFirst().value()).isEqualTo("sk-ant-1");
    }

    @Test
    void aFallbackIsUsedWhenTheVariableIsUnsetOrEmpty() {
        String yaml = "server:\n  host: ${HOST:-0.0.0.0}\n  port: ${PORT:-}9\n";
        assertThat(parse(Map.of(), yaml).server().host()).isEqualTo("0.0.0.0");
        assertThat(parse(Map.of("HOST", ""), yaml).server().host()).isEqualTo("0.0.0.0");
        assertThat(parse(Map.of("HOST", "10.1.1.1", "PORT", "8"), yaml).server()).satisfies(s -> {
            assertThat(s.host()).isEqualTo("10.1.1.1");
            assertThat(s.port()).isEqualTo(89);
        });
    }

    @Test
    void aMissingVariableIsAnErrorNamingItTheFileAndTheKey() {
        String message = problem(Map.of(), """
                server:
                  port: 1
                upstreams:
                  - name: a
                    base-url: ${UPSTREAM_URL}
                """);
        assertThat(message).startsWith("sluice.yaml: key 'upstreams[0].base-url': ")
                .contains("environment variable UPSTREAM_URL is not set")
                .contains("${UPSTREAM_URL:-default}");
        assertThat(problem(Map.of("UPSTREAM_URL", ""), "upstreams:\n  - name: a\n    base-url: ${UPSTREAM_URL}\n"))
                .contains("UPSTREAM_URL is not set");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            top level       | sever:\\n  port: 1                                        | unknown key 'sever' (expected one of: admin, auth, ...
            nested          | server:\\n  prot: 1                                       | unknown key 'server.prot' (expected one of: bodies-in-flight, body-limit, body-timeout, event-loops, header-timeout, host, idle-timeout, max-connections, port, shutdown-grace, tls)
            in a list       | upstreams:\\n  - name: a\\n    base-url: http://x\\n    key: k | unknown key 'upstreams[0].key' (expected one of: api-version, auth, base-url, ca-file, credentials-file, headers, inference-profile, keys, max-connections, models, name, project, provider, reasoning, region)
            timeouts        | timeouts:\\n  first_byte: 1s                              | unknown key 'timeouts.first_byte' (expected one of: connect, first-byte, idle, stream-total)
            reasoning       | upstreams:\\n  - name: a\\n    base-url: http://x\\n    reasoning: {model: [o3]} | unknown key 'upstreams[0].reasoning.model' (expected one of: models, send-back)
            """)
    void anUnknownKeyIsNamedWithTheKeysExpectedThere(String what, String yaml, String message) {
        String problem = problem(Map.of(), yaml.replace("\\n", "\n"));
        if (message.endsWith("...")) {
            // The top level lists every section, and features add sections: the start says enough.
            assertThat(problem).startsWith("sluice.yaml: " + message.substring(0, message.length() - 3))
                    .contains(" server, ").endsWith(" upstreams)");
        } else {
            assertThat(problem).isEqualTo("sluice.yaml: " + message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            words           | timeouts:\\n  first-byte: 5 minutes | key 'timeouts.first-byte': '5 minutes' (expected: a duration such as 500ms, 10s, 5m, 1h, 7d)
            fraction        | timeouts:\\n  idle: 1.5s            | key 'timeouts.idle': '1.5s' (expected: a duration such as 500ms, 10s, 5m, 1h, 7d)
            no unit         | streaming:\\n  ping-interval: 10    | key 'streaming.ping-interval': '10' (expected: a duration such as 500ms, 10s, 5m, 1h, 7d)
            negative        | timeouts:\\n  connect: -1s          | key 'timeouts.connect': '-1s' (expected: a duration such as 500ms, 10s, 5m, 1h, 7d)
            """)
    void aBadDurationNamesTheKeyTheValueAndTheForm(String what, String yaml, String message) {
        String problem = problem(Map.of(), yaml.replace("\\n", "\n"));
        if (message.endsWith("...")) {
            // The top level lists every section, and features add sections: the start says enough.
            assertThat(problem).startsWith("sluice.yaml: " + message.substring(0, message.length() - 3))
                    .contains(" server, ").endsWith(" upstreams)");
        } else {
            assertThat(problem).isEqualTo("sluice.yaml: " + message);
        }
    }

    @Test
    void aZeroDurationIsRejected() {
        assertThat(problem(Map.of(), "timeouts:\n  idle: 0s\n"))
                .contains("timeouts.idle").contains("(expected: a positive duration)");
        assertThat(problem(Map.of(), "timeouts:\n  stream-total: 0s\n"))
                .contains("timeouts.stream-total").contains("(expected: a positive duration)");
    }

    /** Attack round 13, F3: the stop's grace is bounded, defaults to 30 s, and 0s (cut at once) is allowed. */
    @Test
    void theShutdownGraceIsBoundedAndDefaultsToThirtySeconds() {
        assertThat(problem(Map.of(), "server:\n  shutdown-grace: 11m\n"))
                .contains("server.shutdown-grace").contains("(expected: a duration from 0s (cut at once) to 10m)");
        assertThat(parse(Map.of(), "server:\n  port: 1\n").server().shutdownGrace()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(parse(Map.of(), "server:\n  shutdown-grace: 0s\n").server().shutdownGrace()).isZero();
    }

    @Test
    void theRefreshReuseGraceDefaultsToThirtySecondsAndIsBounded() {
        assertThat(parse(Map.of(), "signin:\n  enabled: false\n").signin().refreshReuseGrace()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(parse(Map.of(), "signin:\n  refresh-reuse-grace: 0s\n").signin().refreshReuseGrace()).isZero();
        assertThat(parse(Map.of(), "signin:\n  refresh-reuse-grace: 2m\n").signin().refreshReuseGrace()).hasSeconds(120);
        assertThat(problem(Map.of(), "signin:\n  refresh-reuse-grace: 1h\n")).contains("refresh-reuse-grace").contains("0s to 5m");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            words     | lots
            zero      | 0
            negative  | -5MB
            fraction  | 1.5MB
            """)
    void aBadSizeNamesTheKeyTheValueAndTheForm(String what, String value) {
        assertThat(problem(Map.of(), "server:\n  body-limit: " + value + "\n"))
                .isEqualTo("sluice.yaml: key 'server.body-limit': '" + value + "' (expected: a positive size such as 32MB, 512KB or 1048576)");
    }

    @ParameterizedTest
    @CsvSource({"32MB, 33554432", "512KB, 524288", "1048576, 1048576", "1GB, 1073741824", "10B, 10", "4kb, 4096", "2 MB, 2097152"})
    void sizesInEveryWrittenForm(String text, long bytes) {
        assertThat(parse(Map.of(), "server:\n  body-limit: " + text + "\n").server().bodyLimit().bytes()).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource({"500ms, 500", "10s, 10000", "5m, 300000", "1h, 3600000", "7d, 604800000", "10 s, 10000"})
    void durationsInEveryWrittenForm(String text, long millis) {
        assertThat(parse(Map.of(), "timeouts:\n  idle: " + text + "\n").timeouts().idle()).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"70000", "-1", "65536"})
    void aPortOutOfRangeIsNamed(String port) {
        assertThat(problem(Map.of(), "server:\n  port: " + port + "\n"))
                .isEqualTo("sluice.yaml: invalid configuration:\n  server.port: '" + port + "' (expected: a port between 0 and 65535)");
    }

    @Test
    void aPortThatIsNotANumberNamesTheKeyAndTheValue() {
        assertThat(problem(Map.of(), "server:\n  port: eighty\n")).isEqualTo("sluice.yaml: key 'server.port': 'eighty' (expected: a whole number)");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String message = problem(Map.of(), """
                server:
                  port: 99999
                streaming:
                  on-client-disconnect: maybe
                upstreams:
                  - name: a
                    base-url: ftp://x
                    provider: openai
                routes:
                  - match: "*"
                    upstream: b
                """);
        assertThat(message).startsWith("sluice.yaml: invalid configuration:")
                .contains("server.port: '99999' (expected: a port between 0 and 65535)")
                .contains("upstreams[0].base-url: 'ftp://x' (expected: an http:// or https:// URL)")
                .contains("streaming.on-client-disconnect: 'maybe' (expected: cancel or drain)")
                .contains("routes[0].upstream: 'b' (expected: the name of an upstream [a])");
    }

    @Test
    void invalidYamlSaysWhere() {
        assertThat(problem(Map.of(), "server:\n  port: 1\n host: x\n")).startsWith("sluice.yaml: not valid YAML at line ");
    }

    @Test
    void withNoFileEverySettingHasItsDefault(@TempDir Path dir) {
        SluiceConfig c = new ConfigLoader(Map.of()).load(null);
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8787);
        assertThat(c.server().bodyLimit().bytes()).isEqualTo(32L * 1024 * 1024);
        assertThat(c.server().eventLoops()).isZero();
        assertThat(c.server().effectiveEventLoops()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(c.auth().keys()).isEmpty();
        assertThat(c.auth().open()).isFalse();
        assertThat(c.upstreams()).singleElement().satisfies(u -> {
            assertThat(u.name()).isEqualTo("anthropic");
            assertThat(u.provider()).isEqualTo("anthropic");
            assertThat(u.baseUrl()).isEqualTo("https://api.anthropic.com");
            assertThat(u.maxConnections()).isEqualTo(256);
        });
        assertThat(c.routes()).singleElement().satisfies(r -> {
            assertThat(r.match()).isEqualTo("*");
            assertThat(r.upstream()).isEqualTo("anthropic");
            assertThat(r.model()).isNull();
        });
        assertThat(c.timeouts().connect()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.timeouts().firstByte()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.timeouts().idle()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.timeouts().streamTotal()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.streaming().pingInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.streaming().drainOnDisconnect()).isTrue();
        assertThat(c.store().kind()).isEqualTo("sqlite");

        assertThat(parse(Map.of(), "").server().port()).isEqualTo(8787);
        assertThat(parse(Map.of(), "  \n\n").upstreams().getFirst().name()).isEqualTo("anthropic");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(missing))
                .isInstanceOf(ConfigException.class).hasMessage(missing + ": file not found");
    }

    @Test
    void aFileIsNamedInItsErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sluice.yaml"), "server:\n  prot: 1\n");
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith(file + ": unknown key 'server.prot'");
    }

    @Test
    void secretsNeverShowInToString() {
        SluiceConfig c = parse(Map.of(), """
                upstreams:
                  - name: a
                    base-url: http://x
                    keys: [{alias: one, value: sk-ant-secret-1}]
                store:
                  kind: postgres
                  url: jdbc:postgresql://db/x
                  password: hunter2-secret
                admin:
                  keys: [{value: admin-secret-3, role: write}]
                """);
        assertThat(c.toString()).doesNotContain("sk-ant-secret-1", "hunter2-secret", "admin-secret-3").contains("one");
    }

    @Test
    void variablesInCommentsAreIgnored() {
        assertThat(parse(Map.of(), "# password: ${DB_PASSWORD}\nserver:\n  port: 1\n").server().port()).isEqualTo(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            abc #def
            *abc
            !abc
            &abc
            ~
            a: b
            """)
    void aSubstitutedValueIsTakenLiterally(String secret) {
        SluiceConfig c = parse(Map.of("KEY", secret), """
                upstreams:
                  - name: a
                    base-url: http://x
                    keys:
                      - alias: one
                        value: ${KEY}
                """);
        assertThat(c.upstreams().getFirst().keys()).singleElement().satisfies(k -> assertThat(k.value()).isEqualTo(secret));
    }

    /** The Responses door's item store: the old fixed bounds by default, each settable, and checked at load. */
    @Test
    void theResponsesItemStoreBoundsDefaultToTheFixedOnesAndAreSettable() {
        ResponsesConfig.ItemStore d = parse(Map.of(), "server:\n  port: 1\n").responses().itemStore();
        assertThat(d).isEqualTo(new ResponsesConfig.ItemStore(Duration.ofHours(1), 50_000, new Size(32L << 20), new Size(1L << 20)));
        ResponsesConfig.ItemStore s = parse(Map.of(), """
                responses:
                  item-store: {max-age: 10m, max-items: 2000, max-bytes: 8MB, max-item-bytes: 256KB}
                """).responses().itemStore();
        assertThat(s).isEqualTo(new ResponsesConfig.ItemStore(Duration.ofMinutes(10), 2000, new Size(8L << 20), new Size(256L << 10)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            age zero        | max-age: 0s           | responses.item-store.max-age: '0ms' (expected: a positive duration of at most 24h)
            age over a day  | max-age: 25h          | responses.item-store.max-age: '90000000ms' (expected: a positive duration of at most 24h)
            no items        | max-items: 0          | responses.item-store.max-items: '0' (expected: a number between 1 and 10,000,000)
            too many items  | max-items: 10000001   | responses.item-store.max-items: '10000001' (expected: a number between 1 and 10,000,000)
            too many bytes  | max-bytes: 17GB       | responses.item-store.max-bytes: '18253611008' (expected: a size of at most 16GB)
            item over store | max-item-bytes: 64MB  | responses.item-store.max-item-bytes: '67108864' (expected: a size of at most 64MB and at most responses.item-store.max-bytes (33554432 bytes))
            zero bytes      | max-bytes: 0          | key 'responses.item-store.max-bytes': '0' (expected: a positive size such as 32MB, 512KB or 1048576)
            unknown key     | max-entries: 5        | unknown key 'responses.item-store.max-entries' (expected one of: max-age, max-bytes, max-item-bytes, max-items)
            """)
    void aBadItemStoreBoundIsNamedWithWhatIsExpected(String what, String setting, String message) {
        assertThat(problem(Map.of(), "responses:\n  item-store:\n    " + setting + "\n")).contains(message);
    }
}
