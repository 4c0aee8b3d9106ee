package dev.sluice.provider;

import dev.sluice.config.ConfigException;
import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig;
import dev.sluice.pipeline.Exchange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every upstream's provider-specific settings, checked and compiled with the configuration: a Bedrock
 * upstream's region and auth, a Vertex project and its service-account credentials, an Azure api-version,
 * model maps, extra headers. A file with an unknown provider, or fields its provider cannot use, is refused
 * with every problem named at once; adapters read their upstream's settings per attempt from the exchange's
 * snapshot.
 */
public final class ProviderSettings {
    public static final Part<ProviderSettings> PART = Part.of("providers", ProviderSettings::compile);

    private final Map<String, Object> byUpstream;

    private ProviderSettings(Map<String, Object> byUpstream) {
        this.byUpstream = Map.copyOf(byUpstream);
    }

    public static ProviderSettings of(Exchange ex) {
        return ex.snapshot().get(PART);
    }

    /** The settings of upstream {@code name}, of the type its provider compiles. */
    public <T> T get(String upstream, Class<T> type) {
        Object s = byUpstream.get(upstream);
        if (!type.isInstance(s)) {
            throw new IllegalStateException("upstream '" + upstream + "' has " + (s == null ? "no settings" : s.getClass().getSimpleName())
                    + " (expected " + type.getSimpleName() + ")");
        }
        return type.cast(s);
    }

    static ProviderSettings compile(SluiceConfig c) {
        Map<String, Object> compiled = new HashMap<>();
        List<String> problems = new ArrayList<>();
        List<UpstreamConfig> ups = c.upstreams();
        for (int i = 0; i < ups.size(); i++) {
            UpstreamConfig u = ups.get(i);
            Providers.Provider p = Providers.find(u.provider());
            if (p == null) {
                problems.add("upstreams[" + i + "].provider: '" + u.provider() + "' (expected one of " + Providers.names() + ")");
                continue;
            }
            try {
                compiled.put(u.name(), p.settings().apply(u));
            } catch (IllegalArgumentException e) {
                problems.add("upstreams[" + i + "]." + e.getMessage() + " [upstream '" + u.name() + "', provider " + u.provider() + "]");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigException("invalid provider settings:\n  " + String.join("\n  ", problems));
        }
        return new ProviderSettings(compiled);
    }
}
