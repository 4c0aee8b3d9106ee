package dev.sluice.record;

import static dev.sluice.record.TestRecords.T0;
import static dev.sluice.record.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.ReportCommand;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code report} command against a SQLite data dir (lives here because it needs the ledger's test records). */
class ReportCommandTest {

    @TempDir
    Path dataDir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void fillLedger() {
        try (Database db = Database.open(StoreSettings.sqlite(dataDir));
             JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dataDir))) {
            ledger.append(record("a", 0, "alpha", "claude-sonnet-4-5", Map.of("repo", "api"), 1_234_500_000L, T0));
            ledger.append(record("b", 0, "alpha", "claude-sonnet-4-5", Map.of(), 1_000_000_000L, T0));
            ledger.append(record("c", 0, "beta", "claude-opus-4-6", Map.of(), 10_000_000L, T0));
            assertThat(ledger.awaitFlushed(Duration.ofSeconds(30))).isTrue();
        }
    }

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void printsATableWithTotals() {
        int code = run("--data-dir", dataDir.toString(), "--by", "team,model", "--since", "2026-11-01", "--until", "2026-12-01");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("""
                team   model              requests  input  output  cache_write  cache_read  cost_usd
                alpha  claude-sonnet-4-5         2    200     100           60         400    2.2345
                beta   claude-opus-4-6           1    100      50           30         200    0.0100
                TOTAL                            3    300     150           90         600    2.2445
                """);
    }

    @Test
    void writesCsvAndFilters() {
        int code = run("--data-dir", dataDir.toString(), "--by", "tag:repo", "--since", "2026-11-20T00:00:00Z",
                "--where", "team=alpha", "--format", "csv");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList()).hasSize(3).first().asString().startsWith("tag:repo,requests,");
        assertThat(out.toString()).contains("\napi,1,").contains("\n,1,");
    }

    @Test
    void explainsBadInput() {
        assertThat(run("--data-dir", dataDir.toString(), "--by", "colour")).isEqualTo(2);
        assertThat(err.toString()).contains("dimension: \"colour\" (expected one of:");
        assertThat(run("--data-dir", dataDir.toString(), "--since", "last tuesday")).isEqualTo(2);
        assertThat(err.toString()).contains("time: \"last tuesday\" (expected: 30m, 24h, 7d");
        // attack round 27: overflowed to "failed: Instant exceeds minimum or maximum instant", exit 1
        assertThat(run("--data-dir", dataDir.toString(), "--since", "9000000000000h")).isEqualTo(2);
        assertThat(err.toString()).contains("time: \"9000000000000h\" (expected: 30m, 24h, 7d, 2w up to 36500d");
        assertThat(run("--data-dir", dataDir.toString(), "--since", "999999999999999999w")).isEqualTo(2);
        assertThat(run("--data-dir", dataDir.resolve("nowhere").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no database at");
    }
}
