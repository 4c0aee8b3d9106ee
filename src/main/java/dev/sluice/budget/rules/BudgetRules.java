package dev.sluice.budget.rules;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.budget.rules.BudgetsConfig.BudgetConfig;
import dev.sluice.config.Durations;
import dev.sluice.config.MappingErrors;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Turns a {@link BudgetsConfig} into a {@link BudgetSet}, collecting every problem before failing. */
public final class BudgetRules {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .registerModule(new SimpleModule().addDeserializer(Duration.class, new JsonDeserializer<>() {
                @Override
                public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                    return Durations.parse(p.getValueAsString());
                }
            }));

    private BudgetRules() {
    }

    /** Validates {@code config}; {@code origin} (a file name) starts every error message. */
    public static BudgetSet compile(String origin, BudgetsConfig config) {
        return compile(origin, config, Hierarchy.UNKNOWN);
    }

    public static BudgetSet compile(String origin, BudgetsConfig config, Hierarchy hierarchy) {
        List<String> problems = new ArrayList<>();
        ZoneId zone = zone(config.timeZone(), problems);
        List<String> chain = config.degrade();
        List<Integer> defaults = config.defaultThresholds() == null ? List.of(75, 90, 100) : config.defaultThresholds();
        Set<String> sinkNames = new HashSet<>();
        if (config.alerts().sinks() != null) {
            config.alerts().sinks().forEach(s -> sinkNames.add(s.name()));
        }
        List<String> defaultSinks = config.alerts().defaultSinks() == null ? List.copyOf(sinkNames) : config.alerts().defaultSinks();
        String contact = blank(config.contact()) ? "your platform team" : config.contact().trim();
        List<BudgetRule> rules = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.list().size(); i++) {
            BudgetConfig b = config.list().get(i);
            String where = "budgets.list[" + i + "]" + (b == null || blank(b.name()) ? "" : " (" + b.name() + ")");
            if (b == null) {
                problems.add(where + ": empty entry (expected: name, level, id, usd and/or tokens, period)");
                continue;
            }
            if (b.name() != null && !names.add(b.name())) {
                problems.add(where + ".name: '" + b.name() + "' is used twice (expected: unique budget names)");
            }
            BudgetRule r = new RuleReader(where, problems, zone, chain, defaults, defaultSinks, sinkNames, contact).read(b);
            if (r != null) {
                rules.add(r);
            }
        }
        if (!problems.isEmpty()) {
            throw new BudgetConfigException(origin, problems);
        }
        List<String> warnings = new ArrayList<>(ParentCheck.warnings(rules, hierarchy));
        warnings.addAll(unheardAlerts(rules, sinkNames));
        return new BudgetSet(rules, warnings, zone, contact);
    }

    /**
     * Budgets with alert thresholds whose alerts no sink receives (none named, or none of the named defined): not an
     * error, since the crossing is still logged and counted, but an operator who asked for an alert expects someone to
     * hear it, so the answer to {@code budgets set} and the start log say so.
     */
    private static List<String> unheardAlerts(List<BudgetRule> rules, Set<String> sinkNames) {
        List<String> unheard = new ArrayList<>();
        for (BudgetRule r : rules) {
            boolean alerts = r.thresholds().stream().anyMatch(t -> t.action() == Action.ALERT);
            if (alerts && r.owner().sinks().stream().noneMatch(sinkNames::contains)) {
                unheard.add("'" + r.name() + "'");
            }
        }
        if (unheard.isEmpty()) {
            return List.of();
        }
        // One line for the whole set (not one per budget): a team with many budgets and no sinks yet reads it once.
        return List.of("budget" + (unheard.size() == 1 ? " " : "s ") + String.join(", ", unheard)
                + (unheard.size() == 1 ? " has" : " have") + " alert thresholds that no alert sink receives: a crossing"
                + " is only logged, counted in sluice_budget_threshold_crossings_total and shown to the developer in"
                + " x-sluice-budget (define sinks under budgets.alerts.sinks and name them in owner.sinks or"
                + " budgets.alerts.default-sinks)");
    }

    /** Reads a budgets file: either a whole {@code sluice.yaml} (its {@code budgets:} section) or the section alone. */
    public static BudgetsConfig parse(String origin, String yaml) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return BudgetsConfig.defaults();
            }
            if (!tree.isObject()) {
                throw new BudgetConfigException(origin, List.of("expected a mapping with a 'budgets:' section or its keys"));
            }
            JsonNode section = tree.has("budgets") ? tree.get("budgets") : tree;
            return YAML.treeToValue(section, BudgetsConfig.class);
        } catch (BudgetConfigException e) {
            throw e;
        } catch (IOException e) {
            throw new BudgetConfigException(origin, List.of(problem(e)));
        }
    }

    /** Reads one budget entry (YAML or JSON, the keys of a {@code budgets.list} entry); unknown keys are an error. */
    public static BudgetConfig parseEntry(String origin, String text) {
        try {
            JsonNode tree = YAML.readTree(text);
            if (tree == null || !tree.isObject()) {
                throw new BudgetConfigException(origin, List.of("expected one budget: an object with name, level, id, usd and/or tokens, period"));
            }
            return YAML.treeToValue(tree, BudgetConfig.class);
        } catch (BudgetConfigException e) {
            throw e;
        } catch (IOException e) {
            throw new BudgetConfigException(origin, List.of(problem(e)));
        }
    }

    /** A value that could not be read, in the operator's words (never a Java type). */
    private static String problem(IOException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            return "unknown key '" + MappingErrors.path(u) + "'";
        }
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            return "key '" + MappingErrors.path(m) + "': " + MappingErrors.cause(m);
        }
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException p) {
            return "not valid YAML or JSON: " + (p.getOriginalMessage() == null ? "unreadable" : p.getOriginalMessage().lines().findFirst().orElse(""));
        }
        return e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
    }

    static ZoneId zone(String text, List<String> problems) {
        if (blank(text)) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            problems.add("budgets.time-zone: '" + text + "' (expected: a zone id such as UTC or Europe/Berlin)");
            return ZoneId.of("UTC");
        }
    }

    static long nanoUsd(BigDecimal usd) {
        return usd.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
