package dev.sluice.cli;

import dev.sluice.config.SluiceConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code sluice config check} validates a configuration and prints what it amounts to; {@code versions},
 * {@code show N} and {@code rollback N} work on a running gateway's applied versions (admin API).
 */
@Command(name = "config", description = "Work with the configuration.",
        subcommands = {ConfigCommand.Check.class, ConfigCommand.Versions.class, ConfigCommand.Show.class, ConfigCommand.Rollback.class})
public final class ConfigCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "check", description = "Validate the configuration file and print a summary.")
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption config;

        @Override
        public Integer call() {
            SluiceConfig c = config.load();
            dev.sluice.Gateway.check(c);
            System.out.println("OK: " + (config.resolve() == null ? "built-in defaults" : config.resolve()));
            System.out.println("  listen     " + c.server().host() + ":" + c.server().port());
            System.out.println("  auth       " + (c.auth().keys().isEmpty() ? "open local mode (no keys)" : c.auth().keys().size() + " static key(s)"));
            c.upstreams().forEach(u -> System.out.println("  upstream   " + u.name() + " (" + u.provider() + ") " + u.baseUrl()
                    + ", " + (u.keys().isEmpty() ? "caller's own credential" : u.keys().size() + " key(s): "
                    + String.join(", ", u.keys().stream().map(k -> k.alias()).toList()))));
            c.routes().forEach(r -> System.out.println("  route      " + r.match() + " -> " + r.upstream() + (r.model() == null ? "" : " as " + r.model())));
            System.out.println("  store      " + c.store().kind() + (c.store().kind().equals("sqlite") ? " in " + c.store().dataDir() : ""));
            return 0;
        }
    }

    @Command(name = "versions", description = "List the configuration versions a running gateway applied.")
    static final class Versions implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminClient admin;

        @Override
        public Integer call() {
            return print(admin.call("GET", "/admin/config/versions"));
        }
    }

    @Command(name = "show", description = "Show one applied configuration version, with its diff from the one before.")
    static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminClient admin;

        @picocli.CommandLine.Parameters(paramLabel = "N", description = "The version number.")
        int version;

        @Override
        public Integer call() {
            return print(admin.call("GET", "/admin/config/versions/" + version));
        }
    }

    @Command(name = "rollback", description = "Apply an earlier configuration version again (recorded as a new version).")
    static final class Rollback implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        AdminClient admin;

        @picocli.CommandLine.Parameters(paramLabel = "N", description = "The version to return to.")
        int version;

        @Override
        public Integer call() {
            return print(admin.call("POST", "/admin/config/rollback/" + version));
        }
    }

    private static int print(AdminClient.Result r) {
        (r.ok() ? System.out : System.err).println(r.body());
        return r.ok() ? 0 : 1;
    }
}
