package dev.sluice.pipeline;

import dev.sluice.translate.UsageReport;
import dev.sluice.wire.Usage;
import java.time.Instant;

/**
 * One try at getting the answer from an upstream. An exchange makes one or more: a retry after a
 * 529, a fallback to another provider. Each attempt has its own in-flight slot while it runs and
 * exactly one ledger record when it ends, whatever happened to it.
 *
 * <p>Lifecycle, driven by the attempt loop: created (target chosen) → {@link Stage#onAttempt} →
 * sent → head or failure → either failed before anything reached the client (maybe retried) or
 * committed (its answer is the client's) → ended once ({@link Stage#onAttemptEnd}).
 */
public final class Attempt {
    /** Why an attempt did not produce the client's answer, for retry decisions and records. */
    public enum Failure {
        /**
         * Could not connect, or a reused keep-alive connection closed with not one byte back (the upstream closed
         * it idle as the request went out): safe to send again, to the same target too.
         */
        CONNECT,
        /** No response head (or no first stream event) within the first-byte timeout. */
        FIRST_BYTE_TIMEOUT,
        /** The upstream answered with an error status. */
        STATUS,
        /** The stream's first event was an error. */
        STREAM_ERROR,
        /**
         * The request was sent and no readable answer came: a 2xx head, then a body or stream cut, empty or not JSON;
         * bytes no HTTP decoder accepts (conflicting lengths, an oversized head); a fresh connection closed without
         * a byte; a status no API answers with (3xx, 1xx, past 599). The upstream was at work and may have billed
         * it, so it is not tried again within the request, unlike a connection that never got an answer.
         */
        BROKEN_ANSWER
    }

    private final int number;
    private final Target target;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private String upstreamKeyAlias;
    private long sentNanos;
    private long answeredNanos;
    private long endNanos;
    private int status;
    private String errorType;
    private Failure failure;
    private long retryAfterMillis = -1;
    private boolean committed;
    private boolean ended;
    private boolean neverSent;
    private UsageReport report;
    private Usage usage = Usage.ZERO;
    private boolean usageEstimated;
    private boolean usageUnknown;
    private String reportedModel;
    private Cost cost = Cost.ZERO;

    public Attempt(int number, Target target) {
        this.number = number;
        this.target = target;
    }

    /** 1 for the first attempt of an exchange. */
    public int number() { return number; }
    public Target target() { return target; }
    public Instant startedAt() { return startedAt; }
    public long startNanos() { return startNanos; }

    /** Alias of the upstream credential used (never the credential), or "caller" in open pass-through. */
    public String upstreamKeyAlias() { return upstreamKeyAlias; }
    public void upstreamKeyAlias(String alias) { this.upstreamKeyAlias = alias; }

    public void markSent() { sentNanos = System.nanoTime(); }
    public void markAnswered() { answeredNanos = System.nanoTime(); }
    public long sentNanos() { return sentNanos; }
    public long answeredNanos() { return answeredNanos; }

    /** Time spent waiting for the upstream's head, which is not the gateway's own time. */
    public long upstreamWaitNanos() {
        if (sentNanos == 0) {
            return 0;
        }
        long until = answeredNanos != 0 ? answeredNanos : endNanos != 0 ? endNanos : System.nanoTime();
        return until - sentNanos;
    }

    /** From sending to the upstream's head, or -1 when there was no head. */
    public long ttfbMillis() {
        return sentNanos == 0 || answeredNanos == 0 ? -1 : (answeredNanos - sentNanos) / 1_000_000;
    }

    public long durationMillis() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return (end - startNanos) / 1_000_000;
    }

    /** The upstream's HTTP status, or 0 when it never answered. */
    public int status() { return status; }
    public void status(int status) { this.status = status; }

    /** The error this attempt ended in (upstream's error type, timeout_error, api_error...), or null. */
    public String errorType() { return errorType; }
    public void errorType(String errorType) { this.errorType = errorType; }

    public Failure failure() { return failure; }

    /** Marks the attempt failed before anything reached the client. */
    public void fail(Failure failure, int status, String errorType) {
        this.failure = failure;
        this.status = status;
        this.errorType = errorType;
    }

    /**
     * The upstream request could not be made (the upstream's protocol refused the call, e.g. count_tokens on an
     * OpenAI-compatible server): nothing left the gateway, so there is nothing to bill and no ledger record.
     */
    public boolean neverSent() { return neverSent; }
    public void neverSent(boolean neverSent) { this.neverSent = neverSent; }

    /** The upstream's {@code retry-after} in milliseconds, or -1. */
    public long retryAfterMillis() { return retryAfterMillis; }
    public void retryAfterMillis(long millis) { this.retryAfterMillis = millis; }

    /** True once this attempt's answer is the client's answer: it cannot be retried any more. */
    public boolean committed() { return committed; }
    public void commit() { this.committed = true; }

    /** True once its end hooks ran (its record is written). */
    public boolean ended() { return ended; }

    /**
     * Ends the attempt: takes the final usage from its report. Returns false if it had already ended,
     * so the end hooks run exactly once.
     */
    boolean end() {
        if (ended) {
            return false;
        }
        ended = true;
        endNanos = System.nanoTime();
        if (report != null) {
            Usage reported = report.usage();
            usage = reported.bounded();
            usageEstimated = report.estimated() || usage != reported; // an implausible count is held, not billed as sent
            reportedModel = report.servedModel();
            if (errorType == null && report.errorType() != null) {
                errorType = report.errorType();
            }
        }
        usageEstimated |= usageUnknown;
        return true;
    }

    /**
     * The request reached the upstream but no usage could be read from its answer (none came in time, or it broke
     * before its first event): the upstream may have billed the prompt, so the record's zero is flagged, not exact.
     */
    public void usageUnknown() { this.usageUnknown = true; }

    /** The decoder's running report of the answer (usage so far), set once the answer starts arriving. */
    public UsageReport report() { return report; }
    public void report(UsageReport report) { this.report = report; }

    /** Usage so far: the report's while running, final once ended. */
    public Usage usage() {
        return ended || report == null ? usage : report.usage().bounded();
    }

    public boolean usageEstimated() {
        return ended ? usageEstimated : usageUnknown || report != null && (report.estimated() || !report.usage().plausible());
    }

    /**
     * The model the upstream says it served, else the one sent. What an upstream says is kept only when it could be a
     * model name (at most {@link Bounded#MODEL} characters, no control characters): it is priced, stored per attempt
     * and logged, and a broken or hostile upstream must not grow or garble those.
     */
    public String servedModel() {
        String reported = ended || report == null ? reportedModel : report.servedModel();
        return reported != null && !reported.isEmpty() && reported.length() <= Bounded.MODEL && !Bounded.hasControl(reported)
                ? reported : target.servedModel();
    }

    public Cost cost() { return cost; }
    public void cost(Cost cost) { this.cost = cost; }

    @Override
    public String toString() {
        return "Attempt[" + number + " → " + target + ", status " + status + (errorType == null ? "" : ", " + errorType)
                + (committed ? ", committed" : "") + (ended ? ", ended" : "") + "]";
    }
}
