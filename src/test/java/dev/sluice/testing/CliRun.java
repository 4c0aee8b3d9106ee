package dev.sluice.testing;

import dev.sluice.cli.SluiceCommand;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code sluice} command run in-process, with what it printed: for tests of what a user sees in the terminal.
 * Each run gets a fresh command line, as a new process would, with its output and its errors captured.
 */
public record CliRun(int code, String out, String err) {
    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = SluiceCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
