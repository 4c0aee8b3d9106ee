-- Anthropic Message Batches created through the gateway: which upstream and key hold each batch (every later call on it
-- goes there), whose it is (only its caller may see it, and its results are billed to that caller), and whether its
-- results are in the ledger yet. `seq` orders a caller's list (newest first) and pages it.
-- `billed_ms` is set once every succeeded result has its ledger record; until then the sweeper polls the batch.
CREATE TABLE message_batches (
    seq         BIGSERIAL PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,   -- the upstream's batch id (msgbatch_...)
    upstream    TEXT    NOT NULL,
    key_alias   TEXT    NOT NULL,          -- the upstream key it was created with
    caller_key  TEXT    NOT NULL,          -- the gateway key id that created it
    caller_alias TEXT,
    user_id     TEXT,
    team_id     TEXT,
    org_id      TEXT,
    tags        TEXT    NOT NULL DEFAULT '{}',
    created_ms  BIGINT  NOT NULL,
    checked_ms  BIGINT  NOT NULL DEFAULT 0, -- when the sweeper last asked the upstream about it
    billed_ms   BIGINT,
    deleted     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX message_batches_caller ON message_batches (caller_key, seq);
CREATE INDEX message_batches_unbilled ON message_batches (billed_ms, checked_ms);
