package dev.sluice.settle;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One prices file as written, before merging and the multiplier; validates keys and values with file-and-key messages. */
record PriceFile(String source, JsonNode defaultEntry, Map<String, JsonNode> models, Map<String, String> aliases) {

    private static final Set<String> TOP_KEYS = Set.of("default", "models", "aliases");
    private static final Set<String> ENTRY_KEYS = Set.of("input", "output", "cache_write_5m", "cache_write_1h",
            "cache_read", "web_search_per_request", "long_context");
    private static final Set<String> TIER_KEYS = Set.of("above_prompt_tokens", "input", "output", "cache_write_5m",
            "cache_write_1h", "cache_read");
    private static final BigDecimal WRITE_5M_RATIO = new BigDecimal("1.25");
    private static final BigDecimal WRITE_1H_RATIO = new BigDecimal("2");
    private static final BigDecimal READ_RATIO = new BigDecimal("0.1");
    private static final BigDecimal WEB_SEARCH_FEE = new BigDecimal("0.01");

    static PriceFile parse(JsonNode root, String source) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new PriceFile(source, null, Map.of(), Map.of());
        }
        requireObject(root, source, "(top level)");
        requireKnownKeys(root, TOP_KEYS, source, "");
        JsonNode def = root.get("default");
        if (def != null) {
            requireObject(def, source, "default");
        }
        Map<String, JsonNode> models = new LinkedHashMap<>();
        JsonNode modelsNode = root.get("models");
        if (modelsNode != null && !modelsNode.isNull()) {
            requireObject(modelsNode, source, "models");
            modelsNode.properties().forEach(e -> {
                requireObject(e.getValue(), source, "models." + e.getKey());
                models.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            });
        }
        Map<String, String> aliases = new LinkedHashMap<>();
        JsonNode aliasNode = root.get("aliases");
        if (aliasNode != null && !aliasNode.isNull()) {
            requireObject(aliasNode, source, "aliases");
            aliasNode.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    throw bad(source, "aliases." + e.getKey(), e.getValue(), "a model name from models");
                }
                aliases.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue().asText().toLowerCase(Locale.ROOT));
            });
        }
        return new PriceFile(source, def, models, aliases);
    }

    /**
     * This file with {@code over}'s entries replacing ours, entry by entry. An entry of {@code over} under a name that is
     * one of our aliases ({@code claude-sonnet-4-5}) replaces the entry the alias stands for too, unless {@code over}
     * prices that one itself: the API answers with the dated id ({@code claude-sonnet-4-5-20250929}), which is what a
     * stream's record is priced by, so the operator's rate must not stop at the family name the client sent.
     */
    PriceFile overriddenBy(PriceFile over) {
        Map<String, JsonNode> m = new LinkedHashMap<>(models);
        m.putAll(over.models);
        Map<String, String> a = new LinkedHashMap<>(aliases);
        a.putAll(over.aliases);
        over.models.forEach((name, entry) -> {
            String target = aliases.get(name);
            if (target != null && !over.models.containsKey(target)) {
                m.put(target, entry);
            }
        });
        return new PriceFile(over.source + " over " + source, over.defaultEntry != null ? over.defaultEntry : defaultEntry, m, a);
    }

    PriceTable toTable(BigDecimal factor) {
        if (defaultEntry == null) {
            throw new IllegalArgumentException(source + ": default: missing (expected: a default price block)");
        }
        Price def = entry("default", defaultEntry, WEB_SEARCH_FEE, true);
        Map<String, Price> prices = new LinkedHashMap<>();
        models.forEach((name, node) -> prices.put(name, entry(name, node, def.webSearchPerRequest(), false).times(factor)));
        aliases.forEach((alias, target) -> {
            if (!prices.containsKey(target)) {
                throw new IllegalArgumentException(source + ": aliases." + alias + ": \"" + target
                        + "\" (expected: one of the names under models)");
            }
        });
        return PriceTable.of(prices, aliases, def.times(factor));
    }

    private Price entry(String name, JsonNode node, BigDecimal defaultWebFee, boolean isDefault) {
        String key = isDefault ? "default" : "models." + name;
        requireKnownKeys(node, ENTRY_KEYS, source, key + ".");
        BigDecimal webFee = optionalRate(node, key, "web_search_per_request", defaultWebFee);
        JsonNode tier = node.get("long_context");
        if (tier == null || tier.isNull()) {
            return rates(name, node, key, webFee, isDefault, 0, null);
        }
        String tierKey = key + ".long_context";
        requireObject(tier, source, tierKey);
        requireKnownKeys(tier, TIER_KEYS, source, tierKey + ".");
        JsonNode above = tier.get("above_prompt_tokens");
        if (above == null || !above.canConvertToLong() || above.asLong() <= 0) {
            throw bad(source, tierKey + ".above_prompt_tokens", above, "a whole number of tokens > 0");
        }
        Price longTier = rates(name, tier, tierKey, webFee, isDefault, 0, null);
        return rates(name, node, key, webFee, isDefault, above.asLong(), longTier);
    }

    private Price rates(String name, JsonNode node, String key, BigDecimal webFee, boolean isDefault,
                        long threshold, Price longTier) {
        BigDecimal input = requiredRate(node, key, "input");
        BigDecimal output = requiredRate(node, key, "output");
        return new Price(name, input, output,
                optionalRate(node, key, "cache_write_5m", input.multiply(WRITE_5M_RATIO)),
                optionalRate(node, key, "cache_write_1h", input.multiply(WRITE_1H_RATIO)),
                optionalRate(node, key, "cache_read", input.multiply(READ_RATIO)),
                webFee, isDefault, threshold, longTier);
    }

    private BigDecimal requiredRate(JsonNode node, String key, String field) {
        BigDecimal v = optionalRate(node, key, field, null);
        if (v == null) {
            throw new IllegalArgumentException(source + ": " + key + "." + field
                    + ": missing (expected: a number >= 0, USD per million tokens)");
        }
        return v;
    }

    private BigDecimal optionalRate(JsonNode node, String key, String field, BigDecimal fallback) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return fallback;
        }
        BigDecimal rate = null;
        if (v.isNumber()) {
            rate = v.decimalValue();
        } else if (v.isTextual()) {
            try {
                rate = new BigDecimal(v.asText().trim());
            } catch (NumberFormatException e) {
                rate = null;
            }
        }
        if (rate == null || rate.signum() < 0) {
            throw bad(source, key + "." + field, v, "a number >= 0");
        }
        return rate;
    }

    private static void requireObject(JsonNode node, String source, String key) {
        if (!node.isObject()) {
            throw bad(source, key, node, "a mapping");
        }
    }

    private static void requireKnownKeys(JsonNode node, Set<String> known, String source, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(source + ": " + prefix + k + ": unknown key (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static IllegalArgumentException bad(String source, String key, JsonNode value, String expected) {
        return new IllegalArgumentException(source + ": " + key + ": " + value + " (expected: " + expected + ")");
    }
}
