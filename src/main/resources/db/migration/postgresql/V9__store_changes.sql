-- Identity changes written straight into the store (the `sluice keys|users|teams|orgs` commands), in the same
-- transaction as the change. The admin API audits its own changes; a change made beside the gateway would
-- otherwise reach no audit log. Every gateway with an audit log copies new rows into it as admin_change lines
-- (remembering the last seq it copied), so a key issued or rotated from a shell is in the tamper-evident trail.
-- Never holds a secret: the action and the object's id only.
CREATE TABLE store_changes (
    seq     BIGSERIAL PRIMARY KEY,
    ts_ms   BIGINT  NOT NULL,
    who     TEXT    NOT NULL,   -- the operator: OS user and host of the CLI
    action  TEXT    NOT NULL,   -- key.issue, key.rotate, user.update, org.create, ...
    object  TEXT    NOT NULL    -- the id the change names (for key.issue: the user's)
);
