package dev.sluice.guard;

import java.util.List;

/**
 * The outcome of scanning one body.
 *
 * @param findings     what was found, sorted by offset; redactable ones never overlap
 * @param scannedFrom  the offset the walk started at (0 for a whole body; later for an incremental scan)
 * @param strings      how many string values were read
 * @param keywordHits  how many prefilter hits the detectors looked at
 * @param reused       how many findings came from the cache instead of being scanned again
 * @param truncated    true when a bound was reached (10,000 findings, 1,000,000 keyword hits or 100,000 detector
 *                     checks; a real 700 KB request needs about 1,500): the body is pathological, parts of it went
 *                     unchecked, and a stage should treat it as suspicious (block or flag)
 */
public record GuardScan(List<Finding> findings, int scannedFrom, int strings, int keywordHits, int reused, boolean truncated) {

    public GuardScan {
        findings = List.copyOf(findings);
    }

    public boolean clean() {
        return findings.isEmpty();
    }

    /** The findings at or above {@code severity}. */
    public List<Finding> atLeast(Severity severity) {
        return findings.stream().filter(f -> f.severity().atLeast(severity)).toList();
    }
}
