package dev.sluice.signin.session;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.pipeline.Identity;
import java.util.function.Predicate;

/**
 * Resolves a presented session token to the developer's {@link Identity}, the same shape a virtual
 * key resolves to, so budgets, cache scopes and reports treat SSO sessions and keys alike.
 *
 * <p>Per request: a shape check, one HMAC over the token, the claims, then two map lookups (the
 * session is live, the developer is not blocked). No network, no database. A token of a revoked
 * session or a disabled developer resolves to null, which the authenticate stage answers with 401
 * and {@code x-should-retry: false}, so the CLI asks the developer to sign in again at once.
 */
public final class SessionResolver implements KeyResolver {
    private final SessionTokens tokens;
    private final SessionStore sessions;
    private final Predicate<String> blockedUser;

    public SessionResolver(SessionTokens tokens, SessionStore sessions, Predicate<String> blockedUser) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.blockedUser = blockedUser;
    }

    @Override
    public Identity resolve(String presentedKey) {
        Session s = session(presentedKey);
        return s == null ? null : s.identity();
    }

    /** The live session a token belongs to, or null. */
    public Session session(String presentedKey) {
        String sid = tokens.verify(presentedKey);
        Session s = sid == null ? null : sessions.get(sid);
        if (s == null || blockedUser.test(s.user().userId())) {
            return null;
        }
        return s;
    }

    /** Never empty: with sign-in on, every caller must present a credential (no open mode). */
    @Override
    public boolean isEmpty() {
        return false;
    }
}
