package dev.sluice.provider.catalog;

import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;
import dev.sluice.config.UpstreamConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each upstream serves, so {@code /v1/models}, routing and the meter agree (prices are the meter's, by
 * the same ids: {@code prices.yaml} normalises Bedrock's and Vertex's spellings to these names):
 * <ul>
 *   <li>Claude on Bedrock, Vertex AI and Foundry: every model of {@code providers/claude-models.yaml} with its
 *       provider id and context window, then the operator's own {@code models:} entries;</li>
 *   <li>OpenAI-protocol upstreams with a {@code models:} map: its entries (requested name to the upstream's);</li>
 *   <li>the Anthropic API, and OpenAI-protocol servers without a map: no local list, the upstream's own is asked.</li>
 * </ul>
 */
public final class ModelCatalog {
    public static final Part<ModelCatalog> PART = Part.of("model catalog", ModelCatalog::compile);

    private final Map<String, List<CatalogEntry>> byUpstream;

    private ModelCatalog(Map<String, List<CatalogEntry>> byUpstream) {
        this.byUpstream = Map.copyOf(byUpstream);
    }

    static ModelCatalog compile(SluiceConfig c) {
        Map<String, List<CatalogEntry>> all = new HashMap<>();
        for (UpstreamConfig u : c.upstreams()) {
            List<CatalogEntry> entries = switch (u.provider()) {
                case "bedrock", "vertex", "foundry" -> claude(u);
                case "openai", "azure-openai", "openai-compatible" -> u.models().isEmpty() ? null : mapped(u);
                default -> null;
            };
            if (entries != null) {
                all.put(u.name(), List.copyOf(entries));
            }
        }
        return new ModelCatalog(all);
    }

    private static List<CatalogEntry> claude(UpstreamConfig u) {
        ClaudeModelIds ids = ClaudeModelIds.builtIn();
        Map<String, CatalogEntry> byId = new LinkedHashMap<>();
        for (ClaudeModelIds.Entry e : ids.entries()) {
            String providerId = switch (u.provider()) {
                case "bedrock" -> ids.bedrock(e.id(), u.inferenceProfile());
                case "vertex" -> e.vertex();
                default -> e.id();
            };
            byId.put(e.id(), new CatalogEntry(e.id(), u.models().getOrDefault(e.id(), providerId), e.context()));
        }
        for (Map.Entry<String, String> m : u.models().entrySet()) {
            ClaudeModelIds.Entry known = ids.find(m.getKey());
            byId.putIfAbsent(m.getKey(), new CatalogEntry(m.getKey(), m.getValue(), known == null ? 0 : known.context()));
        }
        return new ArrayList<>(byId.values());
    }

    private static List<CatalogEntry> mapped(UpstreamConfig u) {
        List<CatalogEntry> out = new ArrayList<>();
        u.models().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(m -> out.add(new CatalogEntry(m.getKey(), m.getValue(), 0)));
        return out;
    }

    /** The models upstream {@code name} serves, or null when its own listing is the one to ask. */
    public List<CatalogEntry> of(String upstream) {
        return byUpstream.get(upstream);
    }
}
