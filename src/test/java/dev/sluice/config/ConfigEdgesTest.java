package dev.sluice.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration values at the edge (attack round 27): what a file may not say without being refused by name. */
class ConfigEdgesTest {
    @TempDir
    Path dir;

    private static SluiceConfig parse(String yaml) {
        return new ConfigLoader(Map.of()).parse("sluice.yaml", yaml);
    }

    @Test
    void theJournalSyncCadenceIsAStoreSettingWithinBounds() {
        assertThat(parse("store: {data-dir: d}\n").store().journalSync()).hasMillis(25);
        assertThat(parse("store: {journal-sync: 100ms}\n").store().journalSync()).hasMillis(100);
        assertThatThrownBy(() -> parse("store: {journal-sync: 5s}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("store.journal-sync").hasMessageContaining("1ms to 1s");
        assertThatThrownBy(() -> parse("store: {journal-sync: 0s}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("store.journal-sync");
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

    @Test
    void aFileNotInUtf8IsNamedAsSuchWithItsLine() throws Exception {
        // Before: "cannot read (Input length = 1)", which says nothing an operator can act on.
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "server: {port: 18999}\n# caf\u00e9\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": not UTF-8 text (byte 0xe9 at line 2; expected: a file saved as UTF-8)");
    }

    @Test
    void aFileOverFourMegabytesIsRefusedBeforeItIsParsed() throws Exception {
        // Before: a 50 MB file of comments started a gateway, and each reload copied it into a version and diffed it.
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, "server: {port: 18999}\n" + ("# " + "x".repeat(98) + "\n").repeat(45_000));
        assertThatThrownBy(() -> new ConfigLoader(Map.of()).load(file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ": over 4096 KB (expected: a file of at most 4096 KB)");
    }

    @Test
    void aSecretFileMustBeARegularFileOfBoundedSize() throws Exception {
        // Before: a directory was "cannot be read (IOException...)"; a FIFO hung the reload, /dev/zero filled the heap.
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        assertThatThrownBy(() -> parse("auth: {keys: [\"${file:" + secrets + "}\"]}\n"))
                .hasMessage("sluice.yaml: key 'auth.keys[0]': secret file " + secrets
                        + ": not a regular file (expected: a file of text)");
        Path big = dir.resolve("big-secret");
        Files.writeString(big, "k".repeat(70_000));
        assertThatThrownBy(() -> parse("auth: {keys: [\"${file:" + big + "}\"]}\n"))
                .hasMessageContaining("secret file " + big + ": over 64 KB");
        Path ok = dir.resolve("ok-secret");
        Files.writeString(ok, "sk-gw-from-file\n");
        assertThat(parse("auth: {keys: [\"${file:" + ok + "}\"]}\n").auth().keys()).containsExactly("sk-gw-from-file");
    }

    @Test
    void aStrayFileInTheVersionsDirectoryBreaksNoListing() throws Exception {
        // Before: a notes.json or a backup copy there made every listing throw (GET /admin/config/versions: a 500).
        ConfigVersions versions = new ConfigVersions(dir);
        versions.record("server: {port: 1}\n", "start", "sluice.yaml", java.util.List.of());
        versions.record("server: {port: 2}\n", "ops", "admin API", java.util.List.of());
        Files.writeString(dir.resolve("config-versions/notes.json"), "not json\n");
        Files.writeString(dir.resolve("config-versions/000002-backup.json"), "{}");
        Files.writeString(dir.resolve("config-versions/000002.json"), "{\"cut short");
        assertThat(versions.list()).extracting(ConfigVersions.Version::number).containsExactly(1, 2);
        assertThat(versions.list().get(1).who()).isEqualTo("(unreadable metadata: 000002.json)");
        // The unreadable version keeps its number: the next one is 3, not a second 2 over its text.
        assertThat(versions.record("server: {port: 3}\n", "ops", "admin API", java.util.List.of()).number()).isEqualTo(3);
        assertThat(versions.text(2)).isEqualTo("server: {port: 2}\n");
        assertThat(versions.shown(2).diff()).contains("-server: {port: 1}").contains("+server: {port: 2}");
    }

    @Test
    void aSecretWithALineBreakIsRefusedByKeyWithoutShowingIt() {
        // Before: accepted; every request was a 502 "Could not reach upstream" and each attempt's log line printed the key.
        String message = new ConfigLoaderProblem(Map.of("UP_KEY", "sk-ant-from-a-file\n", "GW", "sk-gw-typed\r")).of("""
                auth: {keys: ["${GW}"]}
                upstreams:
                  - name: a
                    base-url: "http://127.0.0.1:9"
                    headers: {X-Team: "a\\tb"}
                    keys: [{alias: k, value: "${UP_KEY}"}]
                """);
        assertThat(message).contains("upstreams[0].keys[0].value: holds a control character")
                .contains("upstreams[0].headers.X-Team: holds a control character").contains("auth.keys[0]: holds a control")
                .doesNotContain("sk-ant-from-a-file").doesNotContain("sk-gw-typed");
    }

    /** A configuration's problem read with an environment. */
    private record ConfigLoaderProblem(Map<String, String> env) {
        String of(String yaml) {
            try {
                new ConfigLoader(env).parse("sluice.yaml", yaml);
            } catch (ConfigException e) {
                return e.getMessage();
            }
            throw new AssertionError("expected a ConfigException for:\n" + yaml);
        }
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
