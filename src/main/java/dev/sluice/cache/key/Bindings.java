package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The developer-specific values found in one request: the workspace path, the home path, Claude
 * Code's project slug, the git user and the date. Immutable once the keyer has filled it.
 */
public final class Bindings {
    public static final Bindings NONE = new Bindings(new EnumMap<>(Placeholder.class));

    private final EnumMap<Placeholder, byte[]> values;

    private Bindings(EnumMap<Placeholder, byte[]> values) {
        this.values = values;
    }

    public static Bindings of(Map<Placeholder, String> values) {
        EnumMap<Placeholder, byte[]> map = new EnumMap<>(Placeholder.class);
        values.forEach((k, v) -> map.put(Objects.requireNonNull(k, "placeholder"), v.getBytes(UTF_8)));
        return new Bindings(map);
    }

    static Bindings ofBytes(EnumMap<Placeholder, byte[]> values) {
        return values.isEmpty() ? NONE : new Bindings(values.clone());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public boolean has(Placeholder p) {
        return values.containsKey(p);
    }

    /** The value's UTF-8 bytes (do not modify), or null when the request had none. */
    public byte[] bytes(Placeholder p) {
        return values.get(p);
    }

    public String value(Placeholder p) {
        byte[] v = values.get(p);
        return v == null ? null : new String(v, UTF_8);
    }

    public Map<Placeholder, String> asMap() {
        EnumMap<Placeholder, String> out = new EnumMap<>(Placeholder.class);
        values.forEach((k, v) -> out.put(k, new String(v, UTF_8)));
        return out;
    }

    @Override
    public String toString() {
        return "Bindings" + asMap().keySet();
    }
}
