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
    BatchAudit NONE = (requestId, action, who, batchId, status, requests, records, costNanoUsd) -> { };

    /**
     * @param requestId the gateway's id of the call, or null for the sweeper's billing
     * @param action    {@code create}, {@code list}, {@code retrieve}, {@code cancel}, {@code delete}, {@code results} or
     *                  {@code billed}
     * @param batchId   the batch, or null (a list, a refused create)
     * @param status      the status the caller got (200 for a billing)
     * @param requests    the requests a created batch holds, else -1
     * @param records     the ledger records a billing wrote, else -1
     * @param costNanoUsd what those records cost, else -1
     */
    void line(String requestId, String action, Identity who, String batchId, int status, long requests, long records,
              long costNanoUsd);
}
