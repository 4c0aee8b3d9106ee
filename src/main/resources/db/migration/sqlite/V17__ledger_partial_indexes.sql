-- The key, user and team indexes keep only the rows that have the value. Every query that uses them asks for one value
-- (budget counter rebuilds and member sums, a caller's usage: `key_id = ?`, `user_id = ?`, `team_id = ?`), which no
-- NULL matches, and both SQLite and PostgreSQL use a partial index `WHERE col IS NOT NULL` for such a term (checked by
-- record.LedgerIndexPlanTest). A gateway without virtual keys, users or teams writes NULL there on every record, and
-- each of those rows cost the ledger writer one more B-tree insert per index (three of the five per record).
DROP INDEX ledger_key_ts;
DROP INDEX ledger_user_ts;
DROP INDEX ledger_team_ts;
CREATE INDEX ledger_key_ts ON ledger (key_id, ts_ms) WHERE key_id IS NOT NULL;
CREATE INDEX ledger_user_ts ON ledger (user_id, ts_ms) WHERE user_id IS NOT NULL;
CREATE INDEX ledger_team_ts ON ledger (team_id, ts_ms) WHERE team_id IS NOT NULL;
