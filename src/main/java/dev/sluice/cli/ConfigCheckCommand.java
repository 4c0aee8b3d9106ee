package dev.sluice.cli;

import dev.sluice.config.SluiceConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice config check}: validates a configuration file and prints what it amounts to. */
@Command(name = "check", description = "Validate the configuration file and print a summary.")
final class ConfigCheckCommand implements Callable<Integer> {
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
