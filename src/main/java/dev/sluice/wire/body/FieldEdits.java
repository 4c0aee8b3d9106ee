package dev.sluice.wire.body;

import dev.sluice.pipeline.RequestBody;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A plan of top-level field changes (drop some, set others) turned into non-overlapping
 * {@link RequestBody} edits. Dropped neighbours are removed as one run with their commas, so the
 * result is valid JSON whatever the field order; set fields replace an existing value in place or are
 * inserted right after the opening brace.
 */
public final class FieldEdits {
    private final Set<String> drop;
    private final Map<String, byte[]> set = new LinkedHashMap<>();

    private FieldEdits(Set<String> drop) {
        this.drop = drop;
    }

    /** A plan that drops every field named in {@code drop} (all occurrences). */
    public static FieldEdits dropping(Set<String> drop) {
        return new FieldEdits(drop);
    }

    /** Sets {@code name} to the raw JSON {@code value} (replacing every occurrence's value, or inserting one). */
    public FieldEdits set(String name, String rawJsonValue) {
        set.put(name, rawJsonValue.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Applies the plan to {@code body}, whose original bytes {@code fields} was scanned from. */
    public void applyTo(RequestBody body, TopLevelFields fields, String reason) {
        var list = fields.fields();
        int n = list.size();
        boolean[] dropped = new boolean[n];
        int remaining = 0;
        Map<String, byte[]> toInsert = new LinkedHashMap<>(set);
        for (int i = 0; i < n; i++) {
            TopLevelFields.Field f = list.get(i);
            dropped[i] = drop.contains(f.name());
            if (!dropped[i]) {
                remaining++;
                byte[] value = set.get(f.name());
                if (value != null) {
                    body.replace(f.valueStart(), f.valueEnd(), value, reason);
                    toInsert.remove(f.name());
                }
            }
        }
        if (!toInsert.isEmpty()) {
            body.insert(fields.objectStart() + 1, members(toInsert, remaining > 0), reason);
        }
        deleteRuns(body, list, dropped, remaining, reason);
    }

    private static void deleteRuns(RequestBody body, java.util.List<TopLevelFields.Field> list, boolean[] dropped,
                                   int remaining, String reason) {
        int n = list.size();
        if (remaining == 0 && n > 0) {
            body.delete(list.getFirst().keyStart(), list.getLast().valueEnd(), reason);
            return;
        }
        int i = 0;
        while (i < n) {
            if (!dropped[i]) {
                i++;
                continue;
            }
            int a = i;
            while (i < n && dropped[i]) {
                i++;
            }
            int b = i - 1;
            if (b + 1 < n) {
                body.delete(list.get(a).keyStart(), list.get(b + 1).keyStart(), reason); // the run and the comma after it
            } else {
                body.delete(list.get(a - 1).valueEnd(), list.get(b).valueEnd(), reason); // the comma before it and the run
            }
        }
    }

    private static byte[] members(Map<String, byte[]> values, boolean trailingComma) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        boolean first = true;
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(('"' + e.getKey() + "\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(e.getValue());
        }
        if (trailingComma) {
            out.write(',');
        }
        return out.toByteArray();
    }
}
