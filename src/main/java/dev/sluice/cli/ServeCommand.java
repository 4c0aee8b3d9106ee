package dev.sluice.cli;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import dev.sluice.front.AddressInUse;
import dev.sluice.signin.tls.TlsSetup;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice serve}: runs the gateway until the process is stopped. SIGHUP (or {@code sluice
 * reload}) re-reads the configuration file; {@code --watch-config} does so whenever the file changes.
 */
@Command(name = "serve", description = "Run the gateway (SIGHUP or `sluice reload` re-reads the configuration).")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--watch-config", description = "Reload the configuration whenever its file changes.")
    boolean watch;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path file = config.resolve();
        ConfigLoader loader = ConfigLoader.fromEnvironment();
        SluiceConfig cfg = loader.load(file);
        readTls(cfg);
        Gateway gateway;
        try {
            gateway = Gateway.start(cfg, file, loader).await();
        } catch (Exception e) {
            if (AddressInUse.causes(e)) {
                spec.commandLine().getErr().println("sluice serve: failed: cannot listen on " + addresses(cfg)
                        + ": address already in use (another process, perhaps another sluice, holds it: stop it or change"
                        + " server.port" + (cfg.admin().listen() == null ? "" : " or admin.listen") + ")");
                return 1;
            }
            throw e;
        }
        PidFile pid = PidFile.write(cfg.store().dataDir());
        Reloads reloads = Reloads.start(gateway.live(), watch, cfg.store().dataDir());
        System.out.println("Sluice listening on " + gateway.baseUrl()
                + "  (point clients at it: ANTHROPIC_BASE_URL=" + gateway.baseUrl() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                reloads.close();
                // A graceful stop: in-flight answers get server.shutdown-grace to finish, the rest end with an error event.
                // Bounded past that: a stuck close must not keep the process alive forever.
                gateway.stop().toCompletionStage().toCompletableFuture().get(gateway.stopBound().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                System.err.println("sluice: shutdown did not finish cleanly: " + e);
            }
            pid.delete();
            stopped.countDown();
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }

    /** The certificate and key are read before anything starts: a missing file stops the start at once, in words. */
    private static void readTls(SluiceConfig cfg) {
        if (cfg.server().tls().certFile() != null) {
            try {
                TlsSetup.resolve(cfg.server().tls());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }

    /** The addresses this start listens on, as the configuration names them. */
    private static String addresses(SluiceConfig cfg) {
        String gateway = cfg.server().host() + ":" + cfg.server().port();
        return cfg.admin().listen() == null ? gateway : gateway + " (gateway) or " + cfg.admin().listen() + " (admin.listen)";
    }
}
