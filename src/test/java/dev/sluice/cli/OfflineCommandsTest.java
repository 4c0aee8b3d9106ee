package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.config.TelemetryConfig;
import dev.sluice.testing.CliRun;
import dev.sluice.trace.Telemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that only read the data (the store, the audit log) work from the gateway's sluice.yaml in a shell that
 * does not hold the gateway's secrets: they read the store and telemetry sections, nothing else.
 */
class OfflineCommandsTest {
    /** Variables nobody sets: the gateway's key, an upstream key and the metrics token. */
    private static final String GATEWAY_YAML = """
            server: {port: 18999}
            auth:
              keys: ["${SLUICE_TEST_NEVER_SET_GATEWAY_KEY}"]
            upstreams:
              - name: anthropic
                provider: anthropic
                base-url: https://api.anthropic.com
                keys: [{alias: team-a, value: "${SLUICE_TEST_NEVER_SET_ANTHROPIC}"}]
            store: {data-dir: "%s"}
            """;

    @TempDir
    Path data;

    private String out;
    private String err;

    private int run(String... args) {
        CliRun r = CliRun.of(args);
        out = r.out();
        err = r.err();
        return r.code();
    }

    @Test
    void identityReportAndAuditCommandsNeedOnlyTheStore() throws Exception {
        assertThat(run("orgs", "create", "acme", "--data-dir", data.toString())).as(err).isZero();
        try (Telemetry t = Telemetry.builder(new TelemetryConfig(null, false, null, false, null), data).build()) {
            t.auditChange("ops", "budget.set", "team-1", "cost_usd 1");
        }
        Path yaml = data.resolve("sluice.yaml");
        Files.writeString(yaml, GATEWAY_YAML.formatted(data));

        assertThat(run("orgs", "list", "-c", yaml.toString())).as(err).isZero();
        assertThat(out).contains("acme");
        assertThat(run("keys", "list", "-c", yaml.toString())).as(err).isZero();
        assertThat(run("report", "--by", "provider", "--since", "1d", "-c", yaml.toString())).as(err).isZero();
        assertThat(run("audit", "verify", "-c", yaml.toString())).as(err).isZero();
        assertThat(out).startsWith("OK: 1 audit line(s)");
    }

    @Test
    void aConfigurationErrorThatStillStopsThemSuggestsDataDir() throws Exception {
        Path yaml = data.resolve("sluice.yaml");
        Files.writeString(yaml, GATEWAY_YAML.formatted("${SLUICE_TEST_NEVER_SET_DATA_DIR}"));
        assertThat(run("keys", "list", "-c", yaml.toString())).isEqualTo(2);
        assertThat(err).contains("SLUICE_TEST_NEVER_SET_DATA_DIR").contains("--data-dir");
    }

    @Test
    void usersTeamsAndOrgsCanBeDisabledAndEnabled() {
        String d = data.toString();
        assertThat(run("orgs", "create", "acme", "--data-dir", d)).as(err).isZero();
        assertThat(run("teams", "create", "payments", "--org", "acme", "--data-dir", d)).as(err).isZero();
        assertThat(run("users", "create", "ana", "--team", "payments", "--data-dir", d)).as(err).isZero();
        for (String what : java.util.List.of("users:ana", "teams:payments", "orgs:acme")) {
            String[] w = what.split(":");
            assertThat(run(w[0], "disable", w[1], "--data-dir", d)).as(err).isZero();
            assertThat(out).startsWith("Disabled ");
            assertThat(run(w[0], "list", "--data-dir", d)).isZero();
            assertThat(out).contains("disabled");
            assertThat(run(w[0], "disable", w[1], "--enable", "--data-dir", d)).as(err).isZero();
            assertThat(run(w[0], "list", "--data-dir", d)).isZero();
            assertThat(out).doesNotContain("disabled");
        }
        assertThat(run("users", "disable", "nobody", "--data-dir", d)).isEqualTo(2);
    }
}
