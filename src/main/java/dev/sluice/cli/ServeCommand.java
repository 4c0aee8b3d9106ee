package dev.sluice.cli;

import dev.sluice.Gateway;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws Exception {
        Path file = config.resolve();
        ConfigLoader loader = ConfigLoader.fromEnvironment();
        SluiceConfig cfg = loader.load(file);
        Gateway gateway = Gateway.start(cfg, file, loader).await();
        PidFile pid = PidFile.write(cfg.store().dataDir());
        Reloads reloads = Reloads.start(gateway.live(), watch, cfg.store().dataDir());
        System.out.println("Sluice listening on " + gateway.baseUrl()
                + "  (point clients at it: ANTHROPIC_BASE_URL=" + gateway.baseUrl() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                reloads.close();
                // Bounded: a stuck connection must not keep the process alive forever.
                gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("sluice: shutdown did not finish cleanly: " + e);
            }
            pid.delete();
            stopped.countDown();
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }
}
