package dev.sluice.cli;

import dev.sluice.Gateway;
import dev.sluice.config.SluiceConfig;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sluice serve}: runs the gateway until the process is stopped. */
@Command(name = "serve", description = "Run the gateway.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Override
    public Integer call() throws Exception {
        SluiceConfig cfg = config.load();
        Gateway gateway = Gateway.start(cfg).await();
        System.out.println("Sluice listening on " + gateway.baseUrl()
                + "  (point clients at it: ANTHROPIC_BASE_URL=" + gateway.baseUrl() + ")");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // Bounded: a stuck connection must not keep the process alive forever.
                gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                System.err.println("sluice: shutdown did not finish cleanly: " + e);
            }
            stopped.countDown();
        }, "sluice-shutdown"));
        stopped.await();
        return 0;
    }
}
