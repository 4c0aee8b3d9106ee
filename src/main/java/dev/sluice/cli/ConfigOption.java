package dev.sluice.cli;

import dev.sluice.config.ConfigException;
import dev.sluice.config.ConfigLoader;
import dev.sluice.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
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

    /** The sections an offline command reads (where the store and the audit log are): no other key's ${VAR} needs to be set. */
    static final Set<String> OFFLINE_SECTIONS = Set.of("store", "telemetry");

    /**
     * The store and telemetry sections only, for commands that work on the data and not the gateway; a
     * configuration error still stopping them says how to do without the file.
     */
    SluiceConfig loadOffline() {
        try {
            return ConfigLoader.fromEnvironment().loadSections(resolve(), OFFLINE_SECTIONS);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage() + "\n  (to read the data without this configuration, pass --data-dir DIR,"
                    + " the gateway's store.data-dir)");
        }
    }
}
