-- Answers served from the gateway's own response cache are ledger records too (attempt 0, provider 'cache',
-- zero usage and cost). What they saved is kept apart from the usage columns, so spend and token budgets
-- never count a hit: the original answer's prompt tokens (input + cache writes + cache reads) and output tokens.
ALTER TABLE ledger ADD COLUMN cache_saved_input_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger ADD COLUMN cache_saved_output_tokens BIGINT NOT NULL DEFAULT 0;
