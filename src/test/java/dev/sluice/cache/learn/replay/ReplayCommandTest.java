package dev.sluice.cache.learn.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayCommandTest {
    @TempDir
    Path dir;

    private static String[] run(String... args) {
        CliRun r = CliRun.of(args);
        return new String[] {Integer.toString(r.code()), r.out(), r.err()};
    }

    private static String day() throws Exception {
        return Path.of(ReplayCommandTest.class.getResource("/cache/learn/team-day.jsonl").toURI()).toString();
    }

    @Test
    void printsOneLinePerPolicy() throws Exception {
        String[] r = run("replay", "--capture", day());
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("POLICY").contains("as-recorded").contains("exact-keys").contains("+whitespace")
                .contains("ignore-namespaces").contains("ANSWER DIFFERED");
    }

    @Test
    void readsAPolicyFileAndWritesJson() throws Exception {
        Path p = dir.resolve("policies.yaml");
        Files.writeString(p, "policies:\n  - {name: shared-4h, ttl: 4h, whitespace: true}\n  - {name: mine, scope: user}\n");
        String[] r = run("replay", "--capture", day(), "--policies", p.toString(), "--format", "json");
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("\"policy\" : \"shared-4h\"").contains("\"policy\" : \"mine\"").doesNotContain("as-recorded");
    }

    @Test
    void badInputIsAClearError() throws Exception {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, "policies:\n  - {name: a, ttl: 0s}\n");
        String[] r = run("replay", "--capture", day(), "--policies", p.toString());
        assertThat(r[0]).isNotEqualTo("0");
        assertThat(r[2]).contains("policies[0]").contains("ttl");
        String[] missing = run("replay", "--capture", dir.resolve("nope.jsonl").toString());
        assertThat(missing[2]).contains("capture not found");
    }
}
