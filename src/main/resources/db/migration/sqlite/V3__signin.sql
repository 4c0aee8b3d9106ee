-- Sign-in state that must outlive a restart and be shared by every replica on this database:
-- the keys session tokens are signed with, the live sessions and their refresh tokens, pending device
-- authorizations, and browser sign-ins under way at the IdP. Secrets a caller presents (refresh tokens,
-- device codes, OAuth states) are kept only as hex SHA-256 digests. Time is epoch ms (UTC).
-- JSON columns are plain text: nothing queries inside them.

-- Bumped first thing by every session or key write (which also takes the write lock early, so writers
-- queue). The new value is the written row's seq: a gateway that has seen seq N has seen every earlier
-- write, so it catches up with "seq > N" alone.
CREATE TABLE signin_version (
    id      INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO signin_version (id, version) VALUES (1, 0);

-- HMAC-SHA256 keys. A key is written ahead of not_before_ms so every replica knows it before any token
-- signed with it arrives; it signs until the next key's not_before_ms, and verifies one token lifetime more.
CREATE TABLE signin_keys (
    kid           TEXT    PRIMARY KEY,
    secret        TEXT    NOT NULL,      -- base64url, 256 bits
    not_before_ms INTEGER NOT NULL,
    created_ms    INTEGER NOT NULL
);

CREATE TABLE signin_sessions (
    sid                TEXT    PRIMARY KEY,   -- the sid claim of the session's tokens
    user_id            TEXT    NOT NULL,
    email              TEXT    NOT NULL,
    groups_json        TEXT    NOT NULL,
    team_id            TEXT    NOT NULL,
    org_id             TEXT    NOT NULL,
    tags_json          TEXT    NOT NULL,
    surface            TEXT,
    created_ms         INTEGER NOT NULL,
    refresh_digest     TEXT    NOT NULL UNIQUE,
    refresh_expires_ms INTEGER NOT NULL,
    revoked_ms         INTEGER,                 -- set by sign-out and revocation; swept once its tokens have expired
    seq                INTEGER NOT NULL
);
CREATE INDEX signin_sessions_seq ON signin_sessions (seq);
CREATE INDEX signin_sessions_user ON signin_sessions (user_id);

CREATE TABLE signin_device_grants (
    device_digest TEXT    PRIMARY KEY,
    user_code     TEXT    NOT NULL UNIQUE,
    surface       TEXT,
    state         TEXT    NOT NULL,       -- pending, approved, denied, used
    expires_ms    INTEGER NOT NULL,
    interval_ms   INTEGER NOT NULL,
    last_poll_ms  INTEGER,
    user_json     TEXT,                   -- the developer who approved it
    created_ms    INTEGER NOT NULL
);
CREATE INDEX signin_device_grants_expiry ON signin_device_grants (expires_ms);

CREATE TABLE signin_login_flows (
    state_digest TEXT    PRIMARY KEY,
    verifier     TEXT    NOT NULL,        -- PKCE verifier: lives for minutes, then swept
    nonce        TEXT    NOT NULL,
    user_code    TEXT    NOT NULL,
    expires_ms   INTEGER NOT NULL
);
CREATE INDEX signin_login_flows_expiry ON signin_login_flows (expires_ms);
