-- Budgets set through the admin API and CLI (sluice budgets set), merged by name over the configuration's
-- budgets.list. One row per budget: its definition as sent (the keys of a budgets.list entry), who set it and when.
-- Changes are also recorded in the audit log. V4, not V3: V3 is taken by the sign-in tables on another branch.
CREATE TABLE budget_overrides (
    name          TEXT    NOT NULL PRIMARY KEY,
    spec          TEXT    NOT NULL,
    updated_at_ms BIGINT  NOT NULL,
    updated_by    TEXT    NOT NULL
);
