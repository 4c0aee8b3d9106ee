-- Who may call the gateway: organizations hold teams, teams hold users, users hold virtual keys.
-- Org, team and user ids are chosen by the operator, because spend reports group by them; key ids are generated.
-- A key's secrets live apart from the key: rotation adds a secret to the same key (so the ledger, reports and
-- monthly caps keep following one key id) and gives the old secret a retirement time.
-- Secrets are stored only as hex SHA-256 digests. Money is integer nano-USD like the ledger; time is epoch ms (UTC).
-- Tags are a JSONB object of string values.
CREATE TABLE orgs (
    id         TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms BIGINT  NOT NULL
);

CREATE TABLE teams (
    id         TEXT    PRIMARY KEY,
    org_id     TEXT    NOT NULL REFERENCES orgs (id),
    name       TEXT    NOT NULL,
    disabled   BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms BIGINT  NOT NULL
);

CREATE TABLE users (
    id                   TEXT    PRIMARY KEY,
    team_id              TEXT    NOT NULL REFERENCES teams (id),
    name                 TEXT    NOT NULL,
    email                TEXT,
    tags                 JSONB   NOT NULL DEFAULT '{}',
    monthly_cap_nano_usd BIGINT,
    disabled             BOOLEAN NOT NULL DEFAULT FALSE,
    created_ms           BIGINT  NOT NULL
);

CREATE TABLE virtual_keys (
    id                   TEXT    PRIMARY KEY,
    user_id              TEXT    NOT NULL REFERENCES users (id),
    alias                TEXT    NOT NULL,
    tags                 JSONB   NOT NULL DEFAULT '{}',
    monthly_cap_nano_usd BIGINT,
    lifetime_ms          BIGINT,             -- set by "expires in 90d": a rotation renews the key for this long
    expires_ms           BIGINT,
    revoked_ms           BIGINT,
    created_ms           BIGINT  NOT NULL
);

CREATE TABLE key_secrets (
    hash       TEXT    PRIMARY KEY,          -- hex SHA-256 of the whole key
    key_id     TEXT    NOT NULL REFERENCES virtual_keys (id),
    prefix     TEXT    NOT NULL,             -- the first characters, enough to recognise a key in a listing
    created_ms BIGINT  NOT NULL,
    retires_ms BIGINT                        -- set when the key is rotated: this secret stops working then
);

CREATE INDEX teams_org ON teams (org_id);
CREATE INDEX users_team ON users (team_id);
CREATE INDEX virtual_keys_user ON virtual_keys (user_id);
CREATE INDEX key_secrets_key ON key_secrets (key_id);

-- Bumped by every identity write, first thing in its transaction (which also takes the write lock early, so
-- concurrent writers queue instead of failing). Gateways poll this one row and reload keys only when it moved.
CREATE TABLE identity_version (
    id      INTEGER PRIMARY KEY,
    version BIGINT  NOT NULL
);
INSERT INTO identity_version (id, version) VALUES (1, 0);
