package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root command; each subcommand is one file in this package. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice 0.1.0",
        description = "Self-hosted AI gateway for coding agents.",
        subcommands = {ServeCommand.class, ReloadCommand.class, SimCommand.class, AuditCommand.class, DemoCommand.class,
                ConfigCommand.class, ReportCommand.class, KeysCommand.class, UsersCommand.class, TeamsCommand.class,
                OrgsCommand.class, BudgetsCommand.class, CacheCommand.class, ReplayCommand.class,
                CommandLine.HelpCommand.class})
public final class SluiceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** A failure in words: its message, and the Java class only when there is no message to show. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /**
     * {@code -h/--help} (and {@code -V}) on every command and subcommand, set once here so a new command cannot
     * forget it; picocli skips required-option checks when help is asked for, so help wins over "missing option".
     */
    private static void withHelp(CommandLine cl) {
        if (!cl.getCommandSpec().mixinStandardHelpOptions()) {
            cl.getCommandSpec().mixinStandardHelpOptions(true);
        }
        if (cl.getCommandSpec().version().length == 0 && cl.getParent() != null) {
            cl.getCommandSpec().version(cl.getParent().getCommandSpec().version()); // -V prints the version everywhere
        }
        cl.getSubcommands().values().forEach(SluiceCommand::withHelp);
    }

    /** The command line with our error handling: configuration problems print one clear message, exit 2. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SluiceCommand());
        withHelp(cl);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException || e instanceof CliException) {
                cmd.getErr().println("sluice: " + e.getMessage());
                return 2;
            }
            // Anything else (a port taken, a database or Redis refusing at start): what failed and why, one line per
            // cause, not a library's stack trace that never says which part of the gateway gave up.
            cmd.getErr().println("sluice " + cmd.getCommandName() + ": failed: " + describe(e));
            String last = describe(e);
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                if (!last.contains(describe(c))) { // a wrapper repeating its cause's message says nothing new
                    cmd.getErr().println("  caused by: " + describe(c));
                }
                last = describe(c);
            }
            if (System.getenv("SLUICE_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("  (set SLUICE_DEBUG=1 for the stack trace)");
            }
            return 1;
        });
        return cl;
    }
}
