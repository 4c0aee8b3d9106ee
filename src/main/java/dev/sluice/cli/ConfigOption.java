package dev.sluice.cli;

import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config} option: the named file, else $SLUICE_CONFIG, else ./sluice.yaml if present, else defaults. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (default: $SLUICE_CONFIG, else ./sluice.yaml if present).")
    Path file;

    Path resolve() {
        if (file != null) {
            return file;
        }
        String env = System.getenv("SLUICE_CONFIG");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        Path local = Path.of("sluice.yaml");
        return Files.exists(local) ? local : null;
    }

    SluiceConfig load() {
        return ConfigLoader.fromEnvironment().load(resolve());
    }
}
