-- Exact daily rollup of the ledger for spend reports (record.RollupTable, record.RollupDeltas). One row per UTC
-- day and every value a report can group or filter by ("cell"), holding the sums of the cell's records; the
-- ledger writer upserts it in the same transaction as the ledger rows, only for records the ledger did not
-- already hold, so a journal replay adds nothing. Rows whose `differs` is not 0, whose `tags_differ` is set or
-- whose `day_hi` is after `day` are the meets of several cells of one request: they carry only the signed
-- inclusion-exclusion terms that keep `requests` (distinct request ids) exact however cells are grouped.
-- Bits of `differs`: org 1, team 2, user 4, key 8, key_alias 16, model 32, requested_model 64, provider 128,
-- upstream_key 256, session 512, client 1024, endpoint 2048, cache_status 4096, status 8192, error_type 16384,
-- day 32768. V11 fills the table from the ledger already written. WITHOUT ROWID: the row lives in the key's
-- B-tree, so the writer's per-cell update touches one tree, not a key index and a table.
CREATE TABLE spend_daily (
    cell                            TEXT    NOT NULL PRIMARY KEY,
    day                             TEXT    NOT NULL,
    day_hi                          TEXT    NOT NULL,
    differs                         INTEGER NOT NULL,
    tags_differ                     TEXT,
    org_id                          TEXT,
    team_id                         TEXT,
    user_id                         TEXT,
    key_id                          TEXT,
    key_alias                       TEXT,
    model                           TEXT,
    requested_model                 TEXT,
    provider                        TEXT,
    upstream_key_alias              TEXT,
    session_id                      TEXT,
    client                          TEXT,
    endpoint                        TEXT,
    cache_status                    TEXT,
    status                          INTEGER,
    error_type                      TEXT,
    tags                            TEXT    NOT NULL,
    requests                        INTEGER NOT NULL DEFAULT 0,
    attempts                        INTEGER NOT NULL DEFAULT 0,
    input_tokens                    INTEGER NOT NULL DEFAULT 0,
    output_tokens                   INTEGER NOT NULL DEFAULT 0,
    cache_write_5m_tokens           INTEGER NOT NULL DEFAULT 0,
    cache_write_1h_tokens           INTEGER NOT NULL DEFAULT 0,
    cache_read_tokens               INTEGER NOT NULL DEFAULT 0,
    web_search_requests             INTEGER NOT NULL DEFAULT 0,
    web_fetch_requests              INTEGER NOT NULL DEFAULT 0,
    cost_nano_usd                   INTEGER NOT NULL DEFAULT 0,
    provider_cache_savings_nano_usd INTEGER NOT NULL DEFAULT 0,
    gateway_cache_savings_nano_usd  INTEGER NOT NULL DEFAULT 0,
    estimated_requests              INTEGER NOT NULL DEFAULT 0,
    error_requests                  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE INDEX spend_daily_day ON spend_daily (day);
