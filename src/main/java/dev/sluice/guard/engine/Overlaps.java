package dev.sluice.guard.engine;

import dev.sluice.guard.Category;
import dev.sluice.guard.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Makes the redactable findings of a scan disjoint, so each becomes one body edit (edits may not overlap).
 * Where two overlap, the more specific rule wins: a GitLab token inside a URL is a GitLab token, a
 * service-account key is more than a PEM key, and a vendor token under {@code API_KEY=} is the vendor's.
 * Injection findings are left as they are: they are for block and flag, not for editing.
 */
final class Overlaps {
    private static final Map<String, Integer> PRIORITY = Map.of("password-assignment", 1, "secret-assignment", 1,
            "url-password", 3, "database-url-password", 3, "jwt", 4, "private-key", 5, "gcp-service-account-key", 7);
    private static final int VENDOR = 6;
    private static final int PII = 2;
    private static final int CUSTOM = 3;

    private Overlaps() {
    }

    static List<Finding> resolve(List<Finding> findings) {
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt(Finding::start).thenComparing(Comparator.comparingInt(Finding::end).reversed())
                .thenComparing(Finding::rule));
        List<Finding> out = new ArrayList<>(sorted.size());
        Finding last = null;
        for (Finding f : sorted) {
            if (!f.redactable()) {
                out.add(f);
                continue;
            }
            if (last != null && f.start() < last.end()) {
                if (last.rule().equals(f.rule()) && last.start() == f.start() && last.end() == f.end()) {
                    continue;
                }
                if (priority(f) > priority(last)) {
                    out.remove(last);
                    out.add(f);
                    last = f;
                }
                continue;
            }
            out.add(f);
            last = f;
        }
        out.sort(Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end));
        return out;
    }

    private static int priority(Finding f) {
        if (f.category() == Category.PII) {
            return PII;
        }
        if (f.category() == Category.CUSTOM) {
            return CUSTOM;
        }
        return PRIORITY.getOrDefault(f.rule(), VENDOR);
    }
}
