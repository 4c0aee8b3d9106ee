-- The guard stage's verdict on a request it forwarded (flagged or redacted findings: rule names and where they
-- were, never the matched text); NULL when nothing was found and on every record written before the guardrails.
-- V5, not V4: V4 is taken by the budget overrides on another branch (budgetwire), and Flyway refuses two V4s.
ALTER TABLE ledger ADD COLUMN guard_verdict TEXT;
