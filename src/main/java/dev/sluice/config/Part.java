package dev.sluice.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * Something a stage compiles from the configuration (routing rules, a price table, key digests)
 * and reads per request from the exchange's {@link Snapshot}. Every part is compiled when a
 * configuration is applied, so a file a part cannot use is refused before it serves a request.
 * Parts are compared by identity: declare each once, as a constant beside its type.
 *
 * @param <T> what the part compiles to; immutable, shared by every event loop
 */
public final class Part<T> {
    private final String name;
    private final Function<SluiceConfig, T> compile;

    private Part(String name, Function<SluiceConfig, T> compile) {
        this.name = Objects.requireNonNull(name, "name");
        this.compile = Objects.requireNonNull(compile, "compile");
    }

    /** @param compile throws {@link ConfigException} (or IllegalArgumentException) when the configuration is unusable */
    public static <T> Part<T> of(String name, Function<SluiceConfig, T> compile) {
        return new Part<>(name, compile);
    }

    public String name() {
        return name;
    }

    T compile(SluiceConfig config) {
        return compile.apply(config);
    }

    @Override
    public String toString() {
        return "Part[" + name + "]";
    }
}
