package dev.sluice.batches;

import dev.sluice.pipeline.Identity;

/**
 * Where the batch calls leave their audit lines: each call (who, which batch, what it did, how it ended) and each billing
 * of a batch's results (how many records, what they cost), so the audit log holds batches as it holds messages. The
 * gateway's is {@code trace.Telemetry#auditBatch}, set once telemetry exists; until then, and with the audit log off,
 * nothing is written.
 */
@FunctionalInterface
public interface BatchAudit {
    BatchAudit NONE = (requestId, action, who, batchId, status, detail) -> { };

    /**
     * @param requestId the gateway's id of the call, or null for the sweeper's billing
     * @param action    {@code create}, {@code list}, {@code retrieve}, {@code cancel}, {@code delete}, {@code results} or
     *                  {@code billed}
     * @param batchId   the batch, or null (a list, a refused create)
     * @param status    the status the caller got (200 for a billing)
     * @param detail    a short fact: the requests a create sent, the records and dollars a billing wrote; or null
     */
    void line(String requestId, String action, Identity who, String batchId, int status, String detail);
}
