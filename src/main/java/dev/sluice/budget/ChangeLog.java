package dev.sluice.budget;

/** Where budget changes are recorded with who made them: the audit log ({@code Telemetry.auditChange}). */
@FunctionalInterface
public interface ChangeLog {
    ChangeLog NONE = (who, action, object, detail) -> { };

    /**
     * @param who    the admin credential's holder
     * @param action {@code budget.set} or {@code budget.delete}
     * @param object the budget's name
     * @param detail the definition set, or what was removed
     */
    void changed(String who, String action, String object, String detail);
}
