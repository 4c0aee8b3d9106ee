package dev.sluice.batches;

import dev.sluice.pipeline.Identity;

/**
 * What the gateway remembers of one Message Batch: where it lives (every later call on it goes to the same upstream with
 * the same key, the only account that knows it) and whose it is (only that gateway key may see it, and its results are
 * billed to that caller's identity as it was when the batch was created).
 *
 * @param billedMs  when every succeeded result had its ledger record, or 0 while some may still be owed
 * @param holdId    the budget request id its budget holds were taken under ({@code BudgetEngine.hold}), or null
 * @param holdParts how many parts it holds (0: none), given back once its results are billed
 * @param requests  how many requests it has (0 for rows from before migration V14)
 */
record BatchRow(String id, String upstream, String keyAlias, Identity owner, long createdMs, long billedMs, String holdId,
                int holdParts, int requests) {
    /** The id of a create's row until the upstream names the batch: {@code pending:<create request id>}. */
    static final String PENDING = "pending:";

    boolean pending() {
        return id.startsWith(PENDING);
    }

    boolean billed() {
        return billedMs > 0;
    }

    /** True when {@code who} may see this batch: the gateway key that created it, nobody else. */
    boolean ownedBy(Identity who) {
        return who != null && owner.keyId().equals(who.keyId());
    }
}
