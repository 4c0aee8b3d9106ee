package dev.sluice.cli;

import dev.sluice.trace.AuditChain;
import dev.sluice.trace.AuditKey;
import java.nio.file.Path;

/** What {@code sluice audit verify} prints: the verdict first, then what the check did and did not cover. */
final class AuditReport {
    private AuditReport() {
    }

    static String describe(Path file, AuditKey key, AuditChain.Result r) {
        if (!r.ok()) {
            return "BROKEN: " + r.brokenFile() + (r.brokenLine() > 0 ? " line " + r.brokenLine() : "") + ": " + r.reason();
        }
        long keyed = r.lines() - r.legacyLines();
        if (r.lines() > 0 && keyed == 0 && !r.anchored()) {
            return "OK (legacy, unkeyed): " + r.lines() + " audit line(s), chained with plain SHA-256 (" + file + " and its"
                    + " rotated files). Legacy (unkeyed): edits by someone with write access are not detectable. A gateway of"
                    + " this version continues the log with keyed lines, which pin these.";
        }
        StringBuilder s = new StringBuilder("OK: ").append(r.lines()).append(" audit line(s), chain intact (").append(file)
                .append(" and its rotated files)");
        if (key != null) {
            s.append(", keyed (HMAC-SHA256, key from ").append(key.source()).append(')');
        }
        s.append(r.anchored() ? ", anchor matches" : "; no anchor compared: lines cut from the end would not show");
        if (r.legacyLines() > 0) {
            s.append(". The first ").append(r.legacyLines()).append(" line(s) were written unkeyed by an older version;")
                    .append(" the keyed lines or the anchor after them pin them");
        }
        return s.toString();
    }
}
