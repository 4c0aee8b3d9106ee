package dev.sluice.signin.session;

import dev.sluice.authenticate.KeyResolver;
import dev.sluice.pipeline.Identity;
import java.util.function.Predicate;

/**
 * Resolves a presented session token to the developer's {@link Identity}, the same shape a virtual
 * key resolves to, so budgets, cache scopes and reports treat SSO sessions and keys alike.
 *
 * <p>Per request, from memory alone: the verified-token cache (a parse and one HMAC the first time a
 * token is seen), then the session in this replica's mirror and the blocklist. A token of a revoked
 * session or a disabled developer resolves to null, which the authenticate stage answers with 401
 * and {@code x-should-retry: false}, so the CLI asks the developer to sign in again at once.
 *
 * <p>A token whose session this replica has not read yet (opened on another replica since the last
 * catch-up, at most one sync period ago) is accepted on its own signed claims, and the upkeep is woken
 * to read it; a session this replica knows as revoked never is.
 */
public final class SessionResolver implements KeyResolver {
    private final SessionTokens tokens;
    private final SessionStore sessions;
    private final Predicate<String> blockedUser;
    private final java.util.function.BiPredicate<String, Long> goneSince;
    private final Runnable catchUp;

    public SessionResolver(SessionTokens tokens, SessionStore sessions, Predicate<String> blockedUser, Runnable catchUp) {
        this(tokens, sessions, blockedUser, (user, sinceMs) -> false, catchUp);
    }

    /** {@code goneSince}: whether a user was deleted from the directory after the given time ({@link Blocklist#goneSince}). */
    public SessionResolver(SessionTokens tokens, SessionStore sessions, Predicate<String> blockedUser,
                           java.util.function.BiPredicate<String, Long> goneSince, Runnable catchUp) {
        this.goneSince = goneSince;
        this.tokens = tokens;
        this.sessions = sessions;
        this.blockedUser = blockedUser;
        this.catchUp = catchUp;
    }

    @Override
    public Identity resolve(String presentedKey) {
        SessionTokens.Verified v = tokens.verified(presentedKey);
        if (v == null) {
            return null;
        }
        Session s = sessions.get(v.sid());
        if (s != null) {
            return ended(s) ? null : s.identity();
        }
        SignedInUser fresh = fresh(v);
        return fresh == null ? null : fresh.identity();
    }

    /** The signed-in developer a token belongs to, or null (for the endpoints beside the pipeline). */
    public SignedInUser user(String presentedKey) {
        SessionTokens.Verified v = tokens.verified(presentedKey);
        if (v == null) {
            return null;
        }
        Session s = sessions.get(v.sid());
        if (s != null) {
            return ended(s) ? null : s.user();
        }
        return fresh(v);
    }

    private SignedInUser fresh(SessionTokens.Verified v) {
        if (v.claimed() == null || !sessions.mayBeNew(v.sid(), v.issuedAtMillis()) || blockedUser.test(v.claimed().userId())
                || goneSince.test(v.claimed().userId(), v.issuedAtMillis())) {
            return null;
        }
        sessions.noteGroups(v.claimed().userId(), v.claimed().groups(), v.issuedAtMillis());
        catchUp.run();
        return v.claimed();
    }

    private boolean ended(Session s) {
        String user = s.user().userId();
        return blockedUser.test(user) || goneSince.test(user, s.createdAt().toEpochMilli());
    }

    /** Never empty: with sign-in on, every caller must present a credential (no open mode). */
    @Override
    public boolean isEmpty() {
        return false;
    }
}
