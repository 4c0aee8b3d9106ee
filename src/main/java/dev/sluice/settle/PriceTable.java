package dev.sluice.settle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model prices: the built-in {@code prices.yaml}, merged with the operator's file, times a multiplier.
 *
 * <p>Lookups normalise the many spellings of one model — dated ids, Bedrock ids and ARNs, Vertex ids —
 * so {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}, {@code claude-sonnet-4-5@20250929} and
 * {@code claude-sonnet-4-5} all price as Sonnet 4.5. An id that still matches nothing gets the default
 * price, flagged, and is logged once. Resolved ids are cached in a bounded cache because model names
 * come from clients and must not grow memory without limit.
 */
public final class PriceTable {

    private static final Logger log = LoggerFactory.getLogger(PriceTable.class);

    private static final String BUILT_IN = "prices.yaml";
    private static final Pattern BEDROCK_VERSION = Pattern.compile("(-v\\d+)?(:\\d+)?$");
    private static final Pattern DATE_SUFFIX = Pattern.compile("-\\d{8}$");

    private final Map<String, Price> models;
    private final Map<String, String> aliases;
    private final Price defaultPrice;
    private final Cache<String, Price> resolved = Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();
    private final Cache<String, Boolean> warned = Caffeine.newBuilder().maximumSize(1024).executor(Runnable::run).build();

    private PriceTable(Map<String, Price> models, Map<String, String> aliases, Price defaultPrice) {
        this.models = models;
        this.aliases = aliases;
        this.defaultPrice = defaultPrice;
    }

    /**
     * The built-in table, merged with {@code operatorOverridesOrNull} (same format; entries replace ours),
     * every rate times {@code multiplier} (null means 1).
     *
     * @throws IllegalArgumentException naming the file, the key and the expected value when a file is invalid
     */
    public static PriceTable load(Path operatorOverridesOrNull, BigDecimal multiplier) {
        BigDecimal factor = multiplier == null ? BigDecimal.ONE : multiplier;
        if (factor.signum() <= 0) {
            throw new IllegalArgumentException("price multiplier: " + factor.toPlainString() + " (expected: > 0)");
        }
        PriceFile merged = PriceFile.parse(readBuiltIn(), "built-in " + BUILT_IN);
        if (operatorOverridesOrNull != null) {
            merged = merged.overriddenBy(PriceFile.parse(readFile(operatorOverridesOrNull),
                    operatorOverridesOrNull.toString()));
        }
        return merged.toTable(factor);
    }

    /** The built-in table as shipped. */
    public static PriceTable builtIn() {
        return load(null, BigDecimal.ONE);
    }

    static PriceTable of(Map<String, Price> models, Map<String, String> aliases, Price defaultPrice) {
        return new PriceTable(Collections.unmodifiableMap(new LinkedHashMap<>(models)),
                Collections.unmodifiableMap(new LinkedHashMap<>(aliases)), defaultPrice);
    }

    /** The price of {@code model} in any of its spellings; the flagged default when unknown (also for null). */
    public Price priceFor(String model) {
        String key = model == null ? "" : model;
        return resolved.get(key, this::resolve);
    }

    /** The canonical model names in the table (aliases excluded). */
    public Set<String> models() {
        return models.keySet();
    }

    private Price resolve(String raw) {
        String id = normalise(raw);
        for (String candidate : new String[] {id, DATE_SUFFIX.matcher(id).replaceFirst(""), stripLatest(id)}) {
            Price p = models.get(candidate);
            if (p == null && aliases.containsKey(candidate)) {
                p = models.get(aliases.get(candidate));
            }
            if (p != null) {
                return p;
            }
        }
        if (warned.asMap().putIfAbsent(id, Boolean.TRUE) == null) {
            log.warn("model '{}' is not in the price table; billing it at the default price (input {} / output {} USD per "
                    + "million tokens) and flagging its ledger records. Add it to your prices file.", raw.isEmpty() ? "(none)" : raw,
                    defaultPrice.input().toPlainString(), defaultPrice.output().toPlainString());
        }
        return defaultPrice.asDefaultFor(id.isEmpty() ? "(none)" : id);
    }

    /**
     * Reduces a provider's spelling of a model id to the Anthropic name:
     * {@code arn:...:inference-profile/us.anthropic.claude-x-20250929-v1:0} → {@code claude-x-20250929},
     * {@code claude-x@20250929} → {@code claude-x-20250929}, {@code anthropic/claude-x} → {@code claude-x}.
     */
    static String normalise(String raw) {
        String id = raw.trim().toLowerCase(Locale.ROOT);
        int slash = id.lastIndexOf('/');
        if (slash >= 0) {
            id = id.substring(slash + 1);
        }
        int bedrock = id.indexOf("anthropic.");
        if (bedrock >= 0) {
            id = BEDROCK_VERSION.matcher(id.substring(bedrock + "anthropic.".length())).replaceFirst("");
        }
        int at = id.indexOf('@');
        if (at >= 0) {
            String version = id.substring(at + 1);
            id = id.substring(0, at) + (version.isEmpty() || version.equals("latest") ? "" : "-" + version);
        }
        return id;
    }

    /**
     * True when {@code a} and {@code b} name the same model in any provider's spelling and with or without a date:
     * {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}, {@code claude-sonnet-4-5@20250929} and
     * {@code claude-sonnet-4-5} are one model.
     */
    public static boolean sameModel(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return a.equals(b) || family(a).equals(family(b));
    }

    private static String family(String raw) {
        return stripLatest(DATE_SUFFIX.matcher(normalise(raw)).replaceFirst(""));
    }

    private static String stripLatest(String id) {
        return id.endsWith("-latest") ? id.substring(0, id.length() - "-latest".length()) : id;
    }

    private static JsonNode readBuiltIn() {
        try (InputStream in = PriceTable.class.getClassLoader().getResourceAsStream(BUILT_IN)) {
            if (in == null) {
                throw new IllegalStateException(BUILT_IN + " is missing from the classpath (expected: bundled in the jar)");
            }
            return yaml().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in " + BUILT_IN + ": unreadable", e);
        }
    }

    private static JsonNode readFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("prices file: " + file + " does not exist (expected: a readable YAML file)");
        }
        try {
            return yaml().readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("prices file: " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static ObjectMapper yaml() {
        // Floats as BigDecimal: 0.30 must stay 0.30, never 0.29999999999999998890.
        return new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    }
}
