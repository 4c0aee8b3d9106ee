package dev.sluice.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sluice config check} validates a configuration and prints what it amounts to; {@code versions},
 * {@code show N} and {@code rollback N} work on a running gateway's applied versions (admin API), printed as text
 * (the diff as a diff) or, with {@code --json}, as the API answered.
 */
@Command(name = "config", description = "Work with the configuration.",
        subcommands = {ConfigCheckCommand.class, ConfigCommand.Versions.class, ConfigCommand.Show.class, ConfigCommand.Rollback.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "versions", description = "List the configuration versions a running gateway applied.")
    static final class Versions implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Option(names = "--json", description = "Print the admin API's JSON answer.")
        boolean json;

        @Override
        public Integer call() {
            return print(spec, admin.call("GET", "/admin/config/versions"), json, (out, n) -> {
                List<List<String>> rows = new ArrayList<>();
                int current = n.path("current").asInt();
                for (JsonNode v : n.path("versions")) {
                    rows.add(List.of((v.path("version").asInt() == current ? "* " : "  ") + v.path("version").asInt(),
                            v.path("applied_at").asText(), v.path("who").asText(), v.path("source").asText(),
                            v.path("sha256").asText().substring(0, Math.min(12, v.path("sha256").asText().length()))));
                }
                TextTable.print(out, "configuration versions", List.of("VERSION", "APPLIED", "WHO", "SOURCE", "SHA256"), rows);
            });
        }
    }

    @Command(name = "show", description = "Show one applied configuration version, with its diff from the one before.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Parameters(paramLabel = "N", description = "The version number.")
        int version;
        @Option(names = "--json", description = "Print the admin API's JSON answer (the diff as one JSON string).")
        boolean json;

        @Override
        public Integer call() {
            return print(spec, admin.call("GET", "/admin/config/versions/" + version), json, (out, n) -> {
                out.println("version " + n.path("version").asInt() + ", applied " + n.path("applied_at").asText() + " by "
                        + n.path("who").asText() + " (" + n.path("source").asText() + "), sha256 " + n.path("sha256").asText());
                if (!n.path("restart_needed").isEmpty()) {
                    List<String> r = new ArrayList<>();
                    n.path("restart_needed").forEach(x -> r.add(x.asText()));
                    out.println("needs a restart to take effect: " + String.join(", ", r));
                }
                String diff = n.path("diff").asText();
                out.println(diff.isEmpty() ? "(no change from the version before)" : diff);
            });
        }
    }

    @Command(name = "rollback", description = "Apply an earlier configuration version again (recorded as a new version).",
            footer = {"", "Without --write the configuration file keeps its text, and the next reload from it (SIGHUP,",
                    "sluice reload, the file watch) replaces the rollback."})
    static final class Rollback implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        AdminClient admin;
        @Parameters(paramLabel = "N", description = "The version to return to.")
        int version;
        @Option(names = "--write", description = "Also write version N's exact text to the gateway's configuration file"
                + " (a temporary file, then a rename), so later reloads from the file keep it.")
        boolean write;
        @Option(names = "--json", description = "Print the admin API's JSON answer.")
        boolean json;

        @Override
        public Integer call() {
            return print(spec, admin.call("POST", "/admin/config/rollback/" + version + (write ? "?write=true" : "")), json,
                    ConfigCommand::printApplied);
        }
    }

    /** A reload or rollback answer as text: which version serves, what needs a restart, and the note about the file. */
    static void printApplied(PrintWriter out, JsonNode n) {
        if (n.path("unchanged").asBoolean()) {
            out.println("unchanged: version " + n.path("version").asInt() + " keeps serving (the configuration is the one serving)");
        } else {
            out.println("applied: version " + n.path("version").asInt() + " (was " + n.path("previous").asInt() + ")");
        }
        if (!n.path("restart_needed").isEmpty()) {
            List<String> r = new ArrayList<>();
            n.path("restart_needed").forEach(x -> r.add(x.asText()));
            out.println("needs a restart to take effect: " + String.join(", ", r));
        }
        if (n.hasNonNull("note")) {
            out.println("note: " + n.path("note").asText());
        }
    }

    interface Printer {
        void print(PrintWriter out, JsonNode answer);
    }

    /** A successful answer as text (or as it came with --json); a refusal's body on stderr, exit 1. */
    static int print(CommandSpec spec, AdminClient.Result r, boolean json, Printer printer) {
        PrintWriter out = spec.commandLine().getOut();
        if (!r.ok()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(r.body());
            err.flush();
            return 1;
        }
        if (json) {
            out.println(r.body());
        } else {
            try {
                printer.print(out, Json.MAPPER.readTree(r.body()));
            } catch (JsonProcessingException e) {
                out.println(r.body()); // not JSON: show it as it came
            }
        }
        out.flush();
        return 0;
    }
}
