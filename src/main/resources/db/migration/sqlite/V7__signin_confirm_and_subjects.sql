-- Sign-in hardening (issue 13 attack round).
-- The verification page no longer approves a device code on the IdP's return: it shows the developer who the
-- IdP said they are and what asked for the code (when, from which address and client), and only their
-- confirmation, posted from that page in the same browser, approves it. Until then the admitted developer
-- waits in user_json beside the digest of the confirmation secret (bound to the browser's cookie).
ALTER TABLE signin_device_grants ADD COLUMN client_address TEXT;
ALTER TABLE signin_device_grants ADD COLUMN client_agent TEXT;
ALTER TABLE signin_device_grants ADD COLUMN confirm_digest TEXT;

-- The IdP account (issuer + subject) each developer first signed in with. The user id is the email address,
-- so a second IdP account that presents the same address (a renamed or re-created account, another tenant)
-- is refused instead of taking the developer over.
CREATE TABLE signin_subjects (
    user_id    TEXT    PRIMARY KEY,
    issuer     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    created_ms BIGINT  NOT NULL
);
