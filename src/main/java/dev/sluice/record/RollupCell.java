package dev.sluice.record;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One row key of {@code spend_daily}: a UTC day and every value a spend report can group or filter by. A record's
 * cell has {@code dayLo == dayHi} and nothing differing; the <em>meet</em> of several cells keeps the values they
 * share and marks the rest as differing ({@link #differs} bits for the plain dimensions, {@link #tagsDiffer} for tag
 * names, a day range for the day). Meets carry the inclusion–exclusion terms that make request counts exact (see
 * {@link RollupDeltas}).
 *
 * @param values    {@link #DIMENSIONS} in order; null where unset or differing; status as decimal text
 * @param tags      tags shared by all the cells (sorted)
 * @param tagsDiffer names of tags the cells do not all share (sorted); empty for a record's cell
 */
record RollupCell(String dayLo, String dayHi, int differs, String[] values, SortedMap<String, String> tags,
                  SortedSet<String> tagsDiffer) {

    /** SpendQuery dimension → rollup column, in bit order (bit i is {@code 1 << i}). */
    static final String[][] DIMENSIONS = {
        {"org", "org_id"}, {"team", "team_id"}, {"user", "user_id"}, {"key", "key_id"}, {"key_alias", "key_alias"},
        {"model", "model"}, {"requested_model", "requested_model"}, {"provider", "provider"},
        {"upstream_key", "upstream_key_alias"}, {"session", "session_id"}, {"client", "client"}, {"endpoint", "endpoint"},
        {"cache_status", "cache_status"}, {"status", "status"}, {"error_type", "error_type"}};
    static final int STATUS = 13;
    /** Set when the cells fall on different days. */
    static final int DAY_BIT = 1 << DIMENSIONS.length;

    /** The cell of one ledger record, with values as stored (NUL replaced, like the ledger row). */
    static RollupCell of(LedgerRecord r, String day) {
        String[] v = {text(r.orgId()), text(r.teamId()), text(r.userId()), text(r.keyId()), text(r.keyAlias()),
            text(r.servedModel() != null ? r.servedModel() : r.requestedModel()), text(r.requestedModel()),
            text(r.provider()), text(r.upstreamKeyAlias()), text(r.sessionId()), text(r.client()), text(r.endpoint()),
            text(r.cacheStatus()), Integer.toString(r.status()), text(r.errorType())};
        TreeMap<String, String> tags = new TreeMap<>();
        r.tags().forEach((k, val) -> tags.put(LedgerTable.text(k), LedgerTable.text(val)));
        return new RollupCell(day, day, 0, v, tags, new TreeSet<>());
    }

    /** What this cell and {@code o} share. */
    RollupCell meet(RollupCell o) {
        int d = differs | o.differs;
        String lo = dayLo.compareTo(o.dayLo) <= 0 ? dayLo : o.dayLo;
        String hi = dayHi.compareTo(o.dayHi) >= 0 ? dayHi : o.dayHi;
        if (!lo.equals(hi)) {
            d |= DAY_BIT;
        }
        String[] v = new String[values.length];
        for (int i = 0; i < v.length; i++) {
            if ((d & (1 << i)) == 0 && Objects.equals(values[i], o.values[i])) {
                v[i] = values[i];
            } else {
                d |= 1 << i;
            }
        }
        TreeSet<String> differ = new TreeSet<>(tagsDiffer);
        differ.addAll(o.tagsDiffer);
        TreeMap<String, String> shared = new TreeMap<>();
        Set<String> names = new TreeSet<>(tags.keySet());
        names.addAll(o.tags.keySet());
        for (String n : names) {
            if (differ.contains(n)) {
                continue;
            }
            if (Objects.equals(tags.get(n), o.tags.get(n))) {
                shared.put(n, tags.get(n));
            } else {
                differ.add(n);
            }
        }
        return new RollupCell(lo, hi, d, v, shared, differ);
    }

    /**
     * The primary key: every field, length-prefixed (unambiguous whatever the values hold) and tags sorted, so equal
     * cells have equal keys. The day comes first, so a day's rows sit together in the key's index.
     */
    String key() {
        StringBuilder k = new StringBuilder(200);
        part(k, dayLo);
        part(k, dayHi);
        k.append(differs).append('|');
        for (String s : values) {
            part(k, s);
        }
        k.append(tags.size()).append('|');
        tags.forEach((n, v) -> {
            part(k, n);
            part(k, v);
        });
        k.append(tagsDiffer.size()).append('|');
        tagsDiffer.forEach(n -> part(k, n));
        return k.toString();
    }

    private static void part(StringBuilder k, String s) {
        if (s == null) {
            k.append('-');
        } else {
            k.append(s.length()).append(':').append(s);
        }
    }

    String tagsJson() {
        return LedgerTable.tagsJson(tags);
    }

    /** The differing tag names as a JSON object of {@code true}s, or null when none differ. */
    String tagsDifferJson() {
        if (tagsDiffer.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = dev.sluice.wire.Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            for (String n : tagsDiffer) {
                g.writeBooleanField(n, true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String text(String s) {
        return s == null ? null : LedgerTable.text(s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RollupCell c && dayLo.equals(c.dayLo) && dayHi.equals(c.dayHi) && differs == c.differs
                && Arrays.equals(values, c.values) && tags.equals(c.tags) && tagsDiffer.equals(c.tagsDiffer);
    }

    @Override
    public int hashCode() {
        return Objects.hash(dayLo, differs, Arrays.hashCode(values), tags);
    }

    @Override
    public String toString() {
        return key();
    }

}
