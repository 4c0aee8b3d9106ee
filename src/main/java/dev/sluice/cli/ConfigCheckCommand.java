package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.ServerConfig;
import dev.sluice.config.SluiceConfig;
import dev.sluice.signin.tls.TlsSetup;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sluice config check}: what a start and a reload would refuse, refused here too (parse, validation, every
 * part compiled, the TLS certificate and key read, a file ending with a key without a value), then a summary.
 */
@Command(name = "check", description = "Validate the configuration file (as a start and a reload would) and print a summary.")
final class ConfigCheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() {
        Path file = config.resolve();
        SluiceConfig c = config.load();
        if (file != null) {
            LiveConfig.refuseDanglingKey(read(file), file.toString(), "; a reload refuses this file");
        }
        dev.sluice.Gateway.check(c);
        checkTls(c.server().tls());
        PrintWriter out = spec.commandLine().getOut();
        out.println("OK: " + (file == null ? "built-in defaults" : file));
        ConfigSummary.lines(c).forEach(out::println);
        out.flush();
        return 0;
    }

    /** A start reads the certificate and key before it listens; a missing or unreadable one is refused here. */
    private static void checkTls(ServerConfig.Tls tls) {
        if (tls == null || tls.certFile() == null) {
            return; // off, or self-signed: made at start
        }
        try {
            TlsSetup.resolve(tls);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private static String read(Path file) {
        return dev.sluice.config.ConfigFiles.read(file);
    }
}
