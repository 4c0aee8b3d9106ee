package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.CliRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} and {@code -h} print usage and exit 0 on every command, even those with required options or parameters. */
class HelpEverywhereTest {
    private static void collect(CommandLine cl, List<String> path, List<List<String>> into) {
        into.add(path);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals(sub.getCommandName())) {
                return; // an alias: the same command under another name
            }
            List<String> p = new ArrayList<>(path);
            p.add(name);
            collect(sub, p, into);
        });
    }

    @Test
    void everyCommandAndSubcommandAnswersHelpWithExitZero() {
        List<List<String>> all = new ArrayList<>();
        collect(SluiceCommand.commandLine(), List.of(), all);
        assertThat(all).as("the tree was walked").hasSizeGreaterThan(30)
                .contains(List.of("config", "show"), List.of("cache", "bust"), List.of("replay"), List.of("serve"));
        List<String> failures = new ArrayList<>();
        for (List<String> path : all) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                CliRun run = CliRun.of(args.toArray(String[]::new));
                if (run.code() != 0 || !run.out().contains("Usage:")) {
                    failures.add(String.join(" ", args) + " -> " + run.code() + ": " + run.err().lines().findFirst().orElse(""));
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    private static String help(String... path) {
        List<String> args = new ArrayList<>(List.of(path));
        args.add("--help");
        return CliRun.of(args.toArray(String[]::new)).out().replaceAll("\\s+", " ");
    }

    @Test
    void helpTextsPointAtWhatExists() {
        assertThat(help("replay")).contains("README: \"The cache learns: capture, misses, replay, advice\"")
                .doesNotContain("Replaying traffic");
        assertThat(help("sim")).contains("too-long").contains("denied").contains("none");
        assertThat(help("cache", "export")).doesNotContain("default place");
        assertThat(help("users")).contains("disable");
        assertThat(help("audit", "verify")).contains("3 cannot verify");
        assertThat(help("config", "rollback")).contains("--write").contains("replaces the rollback");
        CliRun version = CliRun.of("cache", "bust", "-V");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("sluice ");
    }
}
