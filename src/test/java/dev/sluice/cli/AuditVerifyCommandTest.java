package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.testing.CliRun;
import dev.sluice.trace.Telemetry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice audit verify} on a log the gateway's telemetry wrote: its verdicts, messages and exit codes. */
class AuditVerifyCommandTest {
    @TempDir
    Path data;

    private String out;
    private String err;

    private int verify(String... args) {
        List<String> all = new ArrayList<>(List.of("audit", "verify"));
        all.addAll(List.of(args));
        CliRun r = CliRun.of(all.toArray(String[]::new));
        out = r.out();
        err = r.err();
        return r.code();
    }

    /** Sixty-six admin changes, as the gateway writes them: the audit log in the data directory. */
    private Path gatewayLog() {
        try (Telemetry t = Telemetry.builder(new TelemetryConfig(null, false, null, false, null), data).build()) {
            for (int i = 1; i <= 66; i++) {
                t.auditChange("ops-" + i, "budget.set", "team-" + i, "cost_usd " + i);
            }
        }
        return data.resolve("audit.jsonl");
    }

    @Test
    void anIntactLogPassesWithItsKeyAndAnchorFromTheDataDirectory() {
        Path log = gatewayLog();
        assertThat(verify("--data-dir", data.toString(), "--file", log.toString())).isZero();
        assertThat(out).startsWith("OK: 66 audit line(s), chain intact").contains("keyed (HMAC-SHA256").contains("anchor matches");
    }

    @Test
    void theForgeryFromTheAttackRoundFailsNamingTheLine() throws Exception {
        Path log = gatewayLog();
        List<String> lines = Files.readAllLines(log);
        lines.set(9, lines.get(9).replace("ops-10", "ops-eve"));
        // Recompute every later value the only way someone without the key can: the old public SHA-256 chain.
        String chain = lines.get(8).substring(lines.get(8).length() - 66, lines.get(8).length() - 2);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 9; i < lines.size(); i++) {
            String content = lines.get(i).substring(0, lines.get(i).lastIndexOf(",\""));
            chain = HexFormat.of().formatHex(sha.digest((chain + content).getBytes(StandardCharsets.UTF_8)));
            lines.set(i, content + ",\"chain\":\"" + chain + "\"}");
        }
        Path forged = data.resolve("forged.jsonl");
        Files.write(forged, lines);
        assertThat(verify("--data-dir", data.toString(), "--file", forged.toString(),
                "--anchor", data.resolve("audit.jsonl.anchor").toString())).isEqualTo(1);
        assertThat(out).startsWith("BROKEN: " + forged + " line 10: ");
    }

    @Test
    void aLogThatIsNotThereCannotBeVerifiedRatherThanPassing() {
        // Before: a mistyped --file with --no-anchor was "OK: 0 audit line(s), chain intact", exit 0.
        Path missing = data.resolve("audti.jsonl");
        assertThat(verify("--data-dir", data.toString(), "--file", missing.toString(), "--no-anchor")).isEqualTo(3);
        assertThat(verify("--data-dir", data.toString(), "--file", missing.toString())).isEqualTo(3);
        assertThat(err).startsWith("cannot verify: no audit log at " + missing);
    }

    @Test
    void aCutTailAndAnEmptiedFileFail() throws Exception {
        Path log = gatewayLog();
        List<String> lines = Files.readAllLines(log);
        Files.write(log, lines.subList(0, 61));
        assertThat(verify("--data-dir", data.toString(), "--file", log.toString())).isEqualTo(1);
        assertThat(out).contains("truncated: anchor says 66 lines, file has 61");
        Files.write(log, new byte[0]);
        assertThat(verify("--data-dir", data.toString(), "--file", log.toString())).isEqualTo(1);
        assertThat(out).contains("truncated: anchor says 66 lines, file has 0");
    }

    @Test
    void aConfigurationNamesTheDataDirectoryAndTheLog() throws Exception {
        Path logs = Files.createDirectories(data.resolve("logs"));
        Path log = logs.resolve("gateway-audit.jsonl");
        try (Telemetry t = Telemetry.builder(new TelemetryConfig(null, false, null, false, log.toString()), data).build()) {
            t.auditChange("ops", "config.apply", "sluice.yaml", "version 2");
        }
        assertThat(logs.resolve("audit.key")).as("the key stays in the data directory, off the shipped log's").doesNotExist();
        Path yaml = data.resolve("sluice.yaml");
        Files.writeString(yaml, """
                upstreams:
                  - {name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-x}]}
                store: {data-dir: "%s"}
                telemetry: {audit-log: "%s"}
                """.formatted(data, log));
        assertThat(verify("-c", yaml.toString())).as(err).isZero();
        assertThat(out).startsWith("OK: 1 audit line(s)").contains(log.toString()).contains("anchor matches");
    }

    @Test
    void aLegacyLogIsReadableAndSaysWhatItCannotShow() throws Exception {
        Path dir = Files.createDirectories(data.resolve("old"));
        String chain = "0".repeat(64);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String content = "{\"kind\":\"request\",\"n\":" + i;
            chain = HexFormat.of().formatHex(sha.digest((chain + content).getBytes(StandardCharsets.UTF_8)));
            lines.add(content + ",\"chain\":\"" + chain + "\"}");
        }
        Files.write(dir.resolve("audit.jsonl"), lines);
        assertThat(verify("--data-dir", dir.toString(), "--file", dir.resolve("audit.jsonl").toString())).isZero();
        assertThat(out).startsWith("OK (legacy, unkeyed): 3 audit line(s)")
                .contains("edits by someone with write access are not detectable");
    }

    @Test
    void aMissingKeyFileOrABadKeyIsAClearError() throws Exception {
        Path log = gatewayLog();
        assertThat(verify("--file", log.toString(), "--data-dir", data.toString(), "--key", data.resolve("nope").toString()))
                .isEqualTo(2);
        assertThat(err).contains("no audit key file").doesNotContain("Exception");
        Path bad = data.resolve("bad.key");
        Files.writeString(bad, "not hex");
        assertThat(verify("--file", log.toString(), "--data-dir", data.toString(), "--key", bad.toString())).isEqualTo(2);
        assertThat(err).contains("expected 64 hex digits").doesNotContain("not hex");
        Path other = data.resolve("other.key");
        Files.writeString(other, "17".repeat(32));
        assertThat(verify("--file", log.toString(), "--data-dir", data.toString(), "--key", other.toString())).isEqualTo(1);
        assertThat(out).startsWith("BROKEN: ").contains("anchor").contains("another key");
    }

    @Test
    void aKeyedLogWithoutItsKeyCannotBeVerifiedAndIsNotCalledBroken() throws Exception {
        Path log = gatewayLog();
        Path elsewhere = Files.createDirectories(data.resolve("elsewhere"));
        assertThat(verify("--file", log.toString(), "--data-dir", elsewhere.toString(), "--no-anchor")).isEqualTo(3);
        assertThat(out).doesNotContain("BROKEN");
        assertThat(err).startsWith("cannot verify: no audit key for " + log).contains("--data-dir");
    }
}
