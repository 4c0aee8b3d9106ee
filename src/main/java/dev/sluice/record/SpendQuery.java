package dev.sluice.record;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What to sum and how to group it.
 *
 * @param groupBy dimensions, in column order; any of {@link #DIMENSIONS} or {@code tag:<name>}; empty for one total row
 * @param since   inclusive start, or null for the beginning
 * @param until   exclusive end, or null for now and later
 * @param filters dimension → required value (null value: the dimension is unset); same names as {@code groupBy}
 */
public record SpendQuery(List<String> groupBy, Instant since, Instant until, Map<String, String> filters) {

    /** Dimensions other than tags, which are {@code tag:<name>}. {@code model} is the served model (requested if none). */
    public static final Set<String> DIMENSIONS = Collections.unmodifiableSet(new LinkedHashSet<>(List.of(
            "org", "team", "user", "key", "key_alias", "model", "requested_model", "provider", "upstream_key",
            "session", "day", "month", "client", "endpoint", "cache_status", "status", "error_type")));

    private static final String TAG_PREFIX = "tag:";
    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,64}");

    public SpendQuery {
        groupBy = List.copyOf(groupBy == null ? List.of() : groupBy);
        groupBy.forEach(SpendQuery::requireDimension);
        if (Set.copyOf(groupBy).size() != groupBy.size()) {
            throw new IllegalArgumentException("groupBy: " + groupBy + " (expected: each dimension once)");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("period: since " + since + " is not before until " + until
                    + " (expected: since < until)");
        }
        Map<String, String> f = new LinkedHashMap<>();
        if (filters != null) {
            filters.forEach((k, v) -> {
                requireDimension(k);
                if (k.equals("status") && v != null && !v.matches("\\d{1,3}")) {
                    throw new IllegalArgumentException("filter status: \"" + v + "\" (expected: an HTTP status such as 429)");
                }
                f.put(k, v);
            });
        }
        filters = Collections.unmodifiableMap(f);
    }

    /** All time, grouped by {@code dims}. */
    public static SpendQuery by(String... dims) {
        return new SpendQuery(List.of(dims), null, null, Map.of());
    }

    /** Parses a comma list such as {@code "team,model,tag:repo"}; blank means no grouping. */
    public static SpendQuery parse(String commaList) {
        List<String> dims = new ArrayList<>();
        if (commaList != null) {
            for (String d : commaList.split(",")) {
                if (!d.isBlank()) {
                    dims.add(d.trim());
                }
            }
        }
        return new SpendQuery(dims, null, null, Map.of());
    }

    public SpendQuery between(Instant from, Instant to) {
        return new SpendQuery(groupBy, from, to, filters);
    }

    public SpendQuery where(String dimension, String value) {
        Map<String, String> f = new LinkedHashMap<>(filters);
        f.put(dimension, value);
        return new SpendQuery(groupBy, since, until, f);
    }

    /** True for a known dimension or a well-formed {@code tag:<name>}. */
    public static boolean isDimension(String d) {
        return d != null && (DIMENSIONS.contains(d) || isTag(d));
    }

    static boolean isTag(String d) {
        return d.startsWith(TAG_PREFIX) && TAG_NAME.matcher(d.substring(TAG_PREFIX.length())).matches();
    }

    static String tagName(String d) {
        return d.substring(TAG_PREFIX.length());
    }

    private static void requireDimension(String d) {
        if (!isDimension(d)) {
            throw new IllegalArgumentException("dimension: \"" + d + "\" (expected one of: " + String.join(", ", DIMENSIONS)
                    + ", or tag:<name> with a name of letters, digits, '_', '.', '-')");
        }
    }
}
