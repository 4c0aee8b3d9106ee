package dev.sluice.budget.rules;

/** Whether one entity sits inside another (user ana in team payments), for the "child larger than parent" warning. */
@FunctionalInterface
public interface Hierarchy {
    /** Only template budgets ({@code *}) are compared when nothing is known about who belongs where. */
    Hierarchy UNKNOWN = (parentLevel, parentId, childLevel, childId) -> false;

    boolean contains(Level parentLevel, String parentId, Level childLevel, String childId);
}
