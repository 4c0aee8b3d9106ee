-- What a batch holds on its caller's budgets until its results are billed (BudgetEngine.hold): the budget request id its
-- holds were taken under and how many parts. Kept so a restarted gateway still gives them back once it bills the batch.
-- And how many requests it has: a create's row is written before the upstream is asked (its id `pending:<request id>`),
-- so a batch the upstream created just before a crash is found again (BatchReconciler) and billed.
-- Batches created before this migration hold nothing (0 parts).
ALTER TABLE message_batches ADD COLUMN hold_id TEXT;
ALTER TABLE message_batches ADD COLUMN hold_parts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE message_batches ADD COLUMN request_count INTEGER NOT NULL DEFAULT 0;
