package dev.sluice.config;

import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One applied configuration and everything compiled from it. An exchange takes the current
 * snapshot when it arrives and keeps it to the end, so a request never sees half of one
 * configuration and half of the next; a reload swaps the snapshot for new requests only.
 */
public final class Snapshot {
    private final int version;
    private final SluiceConfig config;
    private final Map<Part<?>, Object> parts;
    private final Instant appliedAt;

    private Snapshot(int version, SluiceConfig config, Map<Part<?>, Object> parts, Instant appliedAt) {
        this.version = version;
        this.config = config;
        this.parts = parts;
        this.appliedAt = appliedAt;
    }

    /**
     * Compiles every part; the first part that cannot use the configuration stops it with a
     * {@link ConfigException} naming the part.
     */
    static Snapshot compile(int version, SluiceConfig config, List<Part<?>> parts, Instant now) {
        Map<Part<?>, Object> compiled = new IdentityHashMap<>();
        for (Part<?> part : parts) {
            try {
                compiled.put(part, part.compile(config));
            } catch (ConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new ConfigException(part.name() + ": " + e.getMessage());
            }
        }
        return new Snapshot(version, config, Map.copyOf(compiled), now);
    }

    /** A snapshot of {@code config} alone, for tests and tools that need no compiled parts. */
    public static Snapshot of(SluiceConfig config, List<Part<?>> parts) {
        return compile(0, config, parts, Instant.now());
    }

    public int version() {
        return version;
    }

    public SluiceConfig config() {
        return config;
    }

    public Instant appliedAt() {
        return appliedAt;
    }

    /** The compiled part; every part the gateway reads is registered when the live configuration is built. */
    public <T> T get(Part<T> part) {
        Object value = parts.get(part);
        if (value == null) {
            throw new IllegalStateException(part + " is not registered with the live configuration (expected: one of "
                    + parts.keySet() + ")");
        }
        @SuppressWarnings("unchecked")
        T typed = (T) value;
        return typed;
    }

    @Override
    public String toString() {
        return "Snapshot[version " + version + ", applied " + appliedAt + "]";
    }
}
