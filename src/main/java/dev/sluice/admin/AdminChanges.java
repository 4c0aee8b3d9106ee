package dev.sluice.admin;

/**
 * Where the admin API records each change it makes (issue 12: the audit log, {@code Telemetry.auditChange}, hash-chained
 * with the request lines). Same shape as {@code budget.ChangeLog}, so one method serves both.
 */
@FunctionalInterface
public interface AdminChanges {
    AdminChanges NONE = (who, action, object, detail) -> { };

    /**
     * @param who    the admin credential's holder (its {@code name}), or {@code admin API} when it has none
     * @param action the endpoint, e.g. {@code POST /admin/keys/{id}/rotate}
     * @param object the values of the path's {@code {name}} segments, or the path
     * @param detail the outcome and the body's field names; never a value (a body may name a cap, an answer may hold a new key)
     */
    void changed(String who, String action, String object, String detail);
}
