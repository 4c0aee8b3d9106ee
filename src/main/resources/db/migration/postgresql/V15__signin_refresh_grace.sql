-- A refresh token presented again shortly after its rotation (SessionStore's reuse grace): two Claude Code processes
-- that read one credentials file and refreshed at once, or a client retrying a refresh whose answer it lost. Within the
-- grace the second presenter gets the same successor the first got, so both end up holding one token, instead of the
-- session being revoked as a stolen token's would be. The successor is kept sealed with a key derived from the rotated
-- token itself (Successor), so this table alone yields no usable token. Rows written before this migration have no
-- successor: their reuse still revokes.
ALTER TABLE signin_refresh_used ADD COLUMN rotated_ms BIGINT;
ALTER TABLE signin_refresh_used ADD COLUMN successor TEXT;
