package dev.sluice.budget;

import dev.sluice.pipeline.Target;
import dev.sluice.provider.catalog.CatalogEntry;
import dev.sluice.provider.catalog.ModelCatalog;
import dev.sluice.settle.PriceTable;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Which cheaper models a degrade may send to a target: the ones its upstream can serve. A degrade chain names models
 * (Claude's, usually) and applied to every request under the budget; a request routed to an OpenAI upstream's
 * {@code gpt-4o} was sent there as {@code claude-haiku-4-5-20251001}, which that upstream refuses, so the developer got an
 * error where the budget meant a cheaper answer (round 23). The rule, from what the gateway knows of an upstream:
 * <ul>
 *   <li>Claude's own wires (Anthropic, Bedrock, Vertex, Foundry) serve Claude models ({@code claude-*});</li>
 *   <li>an OpenAI-protocol upstream with a {@code models:} map serves what the map lists;</li>
 *   <li>one without a map serves models of the routed model's kind: Claude ones only if it was asked for a Claude one
 *       (a LiteLLM in front of Claude), others only if it was not.</li>
 * </ul>
 * A model no target can serve is not chosen: the request keeps its model and the block threshold still holds the line.
 */
final class DegradeTargets {
    private DegradeTargets() {
    }

    /** The models {@code target} can serve in place of its routed model; the catalog is read only for OpenAI upstreams. */
    static Predicate<String> servable(Target target, Supplier<ModelCatalog> catalog) {
        if (target == null) {
            return m -> false;
        }
        String provider = target.provider() == null ? "" : target.provider().toLowerCase(Locale.ROOT);
        switch (provider) {
            case "anthropic", "bedrock", "vertex", "foundry" -> {
                return DegradeTargets::claude;
            }
            default -> {
                ModelCatalog known = catalog.get();
                List<CatalogEntry> listed = known == null ? null : known.of(target.upstream());
                if (listed != null) {
                    return m -> listed.stream().anyMatch(e -> PriceTable.sameModel(e.id(), m));
                }
                boolean routedClaude = claude(target.servedModel());
                return m -> claude(m) == routedClaude;
            }
        }
    }

    static boolean claude(String model) {
        return model != null && model.toLowerCase(Locale.ROOT).startsWith("claude-");
    }
}
