package dev.sluice.guard.stage;

import java.util.concurrent.atomic.LongAdder;

/** What the guard did, for {@code /metrics}: counts only, no labels a caller could grow. */
public final class GuardCounters {
    final LongAdder scanned = new LongAdder();
    final LongAdder blocked = new LongAdder();
    final LongAdder redacted = new LongAdder();
    final LongAdder flagged = new LongAdder();
    final LongAdder truncated = new LongAdder();
    final LongAdder webhookFailed = new LongAdder();
    final LongAdder answerFindings = new LongAdder();

    /** Requests scanned. */
    public long scanned() {
        return scanned.sum();
    }

    /** Requests refused with {@code policy_blocked}. */
    public long blocked() {
        return blocked.sum();
    }

    /** Requests forwarded with at least one placeholder in place of a finding. */
    public long redacted() {
        return redacted.sum();
    }

    /** Requests forwarded unchanged with findings recorded. */
    public long flagged() {
        return flagged.sum();
    }

    /** Scans that stopped at a bound (pathological bodies). */
    public long truncated() {
        return truncated.sum();
    }

    /** Webhook calls that timed out or failed (the fail mode decided). */
    public long webhookFailed() {
        return webhookFailed.sum();
    }

    /** Findings in answers. */
    public long answerFindings() {
        return answerFindings.sum();
    }
}
