package dev.sluice.guard;

/** What kind of thing a rule finds. */
public enum Category {
    /** Credentials and keys: redactable. */
    SECRET,
    /** Personal data: redactable, enabled per tenant. */
    PII,
    /** Prompt injection: scored; for block or flag, not redaction. */
    INJECTION,
    /** An operator-supplied rule: redactable. */
    CUSTOM
}
