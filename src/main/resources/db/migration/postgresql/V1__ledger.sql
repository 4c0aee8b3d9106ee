-- The ledger: one row per upstream attempt, keyed by (request_id, attempt) so a retry, a race or a
-- journal replay can never bill twice (inserts use ON CONFLICT DO NOTHING).
-- Money is integer nano-USD (1e-9 USD): sums are exact. Time is epoch milliseconds (UTC); `day` is the
-- UTC date 'YYYY-MM-DD' written at insert so grouping by day is identical in SQLite and PostgreSQL.
-- Tags are a JSONB object of string values.
CREATE TABLE ledger (
    request_id                      TEXT    NOT NULL,
    attempt                         INTEGER NOT NULL,
    ts_ms                           BIGINT  NOT NULL,
    day                             TEXT    NOT NULL,
    key_id                          TEXT,
    key_alias                       TEXT,
    user_id                         TEXT,
    team_id                         TEXT,
    org_id                          TEXT,
    tags                            JSONB   NOT NULL DEFAULT '{}',
    session_id                      TEXT,
    client                          TEXT,
    endpoint                        TEXT,
    requested_model                 TEXT,
    served_model                    TEXT,
    provider                        TEXT,
    upstream_key_alias              TEXT,
    status                          INTEGER NOT NULL,
    error_type                      TEXT,
    input_tokens                    BIGINT  NOT NULL,
    output_tokens                   BIGINT  NOT NULL,
    cache_creation_tokens           BIGINT  NOT NULL,
    cache_read_tokens               BIGINT  NOT NULL,
    cache_creation_5m_tokens        BIGINT  NOT NULL,
    cache_creation_1h_tokens        BIGINT  NOT NULL,
    web_search_requests             BIGINT  NOT NULL,
    web_fetch_requests              BIGINT  NOT NULL,
    usage_estimated                 BOOLEAN NOT NULL,
    cost_nano_usd                   BIGINT  NOT NULL,
    provider_cache_savings_nano_usd BIGINT  NOT NULL,
    gateway_cache_savings_nano_usd  BIGINT  NOT NULL,
    cache_status                    TEXT,
    latency_ms                      BIGINT  NOT NULL,
    ttfb_ms                         BIGINT  NOT NULL,
    gateway_ms                      BIGINT  NOT NULL,
    stream                          BOOLEAN NOT NULL,
    PRIMARY KEY (request_id, attempt)
);

-- Reports filter by period; budgets re-seed spend per key, user and team over a period.
CREATE INDEX ledger_ts ON ledger (ts_ms);
CREATE INDEX ledger_key_ts ON ledger (key_id, ts_ms);
CREATE INDEX ledger_user_ts ON ledger (user_id, ts_ms);
CREATE INDEX ledger_team_ts ON ledger (team_id, ts_ms);
