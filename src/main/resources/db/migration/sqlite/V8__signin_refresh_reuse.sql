-- Refresh tokens a session has rotated away from (OAuth 2.0 Security BCP, refresh token rotation).
-- A rotated refresh token presented again means two parties hold the session (one of them copied the token):
-- the gateway then revokes the whole session instead of answering invalid_grant alone. A row lives as long as
-- the rotated token would have worked, and goes with its session.
CREATE TABLE signin_refresh_used (
    digest     TEXT    PRIMARY KEY,   -- hex SHA-256 of the rotated refresh token
    sid        TEXT    NOT NULL,
    until_ms   BIGINT  NOT NULL
);
CREATE INDEX signin_refresh_used_sid ON signin_refresh_used (sid);
