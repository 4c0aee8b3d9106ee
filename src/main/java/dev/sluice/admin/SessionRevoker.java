package dev.sluice.admin;

import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/** What the admin API may do to a developer's sign-in (issue 13). Both blocking. */
public interface SessionRevoker {
    /** Ends the developer's signed-in sessions on every replica within one sync period; answers how many were live. */
    int revokeUser(String userId);

    /** Forgets which IdP account the developer signs in with, so the next sign-in binds a new one; true if one was. */
    boolean forgetIdpAccount(String userId);

    static SessionRevoker of(ToIntFunction<String> revoke, Predicate<String> forget) {
        return new SessionRevoker() {
            @Override
            public int revokeUser(String userId) {
                return revoke.applyAsInt(userId);
            }

            @Override
            public boolean forgetIdpAccount(String userId) {
                return forget.test(userId);
            }
        };
    }
}
