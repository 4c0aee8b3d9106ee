package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice budgets check} on a gateway configuration says whether it has a budgets: section. */
class BudgetsCheckCommandTest {
    @TempDir
    Path dir;

    @Test
    void aSluiceYamlWithoutBudgetsSaysSoInsteadOfUnknownKeyServer() throws Exception {
        Path file = dir.resolve("sluice.yaml");
        Files.writeString(file, """
                server: {port: 8787}
                upstreams: [{name: u, base-url: "http://127.0.0.1:9", keys: [{alias: k, value: sk-x}]}]
                """);
        StringWriter err = new StringWriter();
        CommandLine cli = SluiceCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertThat(cli.execute("budgets", "check", "--file", file.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no budgets: section").doesNotContain("unknown key 'server'");

        Files.writeString(file, Files.readString(file) + """
                budgets:
                  list: [{name: payments, level: team, id: payments, usd: 500, period: monthly}]
                """);
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("budgets", "check", "--file", file.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 budgets");
    }
}
