-- What a batch holds on its caller's budgets until its results are billed (BudgetEngine.hold): the budget request id its
-- holds were taken under and how many parts. Kept so a restarted gateway still gives them back once it bills the batch.
-- Batches created before this migration hold nothing (0 parts).
ALTER TABLE message_batches ADD COLUMN hold_id TEXT;
ALTER TABLE message_batches ADD COLUMN hold_parts INTEGER NOT NULL DEFAULT 0;
