package dev.sluice.admin;

/** Ends a developer's signed-in sessions on every replica within one sync period; answers how many were live. Blocking. */
@FunctionalInterface
public interface SessionRevoker {
    int revokeUser(String userId);
}
