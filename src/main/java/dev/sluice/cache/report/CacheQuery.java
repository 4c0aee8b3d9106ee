package dev.sluice.cache.report;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a cache report groups by and over which period.
 *
 * @param groupBy dimensions in column order: {@link #DIMENSIONS}, {@code repo} (the {@code repo} tag) or
 *                {@code tag:<name>}; empty for one total row
 * @param since   inclusive start, or null for the beginning
 * @param until   exclusive end, or null for now and later
 */
public record CacheQuery(List<String> groupBy, Instant since, Instant until) {
    /** Dimensions other than tags. */
    public static final Set<String> DIMENSIONS = Set.copyOf(new LinkedHashSet<>(List.of(
            "org", "team", "user", "key", "model", "day", "month", "client", "repo")));

    private static final Pattern TAG = Pattern.compile("tag:[A-Za-z0-9_.\\-]{1,64}");

    public CacheQuery {
        groupBy = List.copyOf(groupBy == null ? List.of() : groupBy);
        for (String d : groupBy) {
            if (!DIMENSIONS.contains(d) && !TAG.matcher(d).matches()) {
                throw new IllegalArgumentException("dimension: \"" + d + "\" (expected one of: org, team, user, key, model, day,"
                        + " month, client, repo, or tag:<name> with a name of letters, digits, '_', '.', '-')");
            }
        }
        if (Set.copyOf(groupBy).size() != groupBy.size()) {
            throw new IllegalArgumentException("groupBy: " + groupBy + " (expected: each dimension once)");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("period: since " + since + " is not before until " + until
                    + " (expected: since < until)");
        }
    }

    /** Parses a comma list such as {@code "repo,user"}; blank means no grouping. */
    public static List<String> dimensions(String commaList) {
        List<String> dims = new ArrayList<>();
        if (commaList != null) {
            for (String d : commaList.split(",")) {
                if (!d.isBlank()) {
                    dims.add(d.trim());
                }
            }
        }
        return dims;
    }

    /** The tag a dimension reads, or null for a column dimension. */
    static String tagOf(String dimension) {
        return dimension.equals("repo") ? "repo" : dimension.startsWith("tag:") ? dimension.substring(4) : null;
    }
}
