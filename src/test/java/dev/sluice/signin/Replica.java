package dev.sluice.signin;

import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.session.SessionResolver;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SessionTokens;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.signin.session.SigningKeys;
import dev.sluice.signin.store.SigninDb;
import dev.sluice.signin.verify.LoginFlows;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One gateway's sign-in state over a database, as {@link Signin} assembles it, without the HTTP
 * front: its own connection pool, signing keys, session mirror, grants and flows. Two of these on one
 * database are two replicas; closing one and opening another on the same database is a restart.
 */
final class Replica implements AutoCloseable {
    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    static final Duration REUSE_GRACE = Duration.ofSeconds(30);
    static final Duration ROTATION = Duration.ofHours(6);

    final Database db;
    final SigningKeys keys;
    final SessionStore sessions;
    final SessionTokens tokens;
    final SessionResolver resolver;
    final DeviceGrants grants;
    final LoginFlows flows;
    final Set<String> blocked = ConcurrentHashMap.newKeySet();
    int catchUps;

    Replica(StoreSettings settings, TestClock clock) {
        this(settings, clock, 32);
    }

    Replica(StoreSettings settings, TestClock clock, int maxPerUser) {
        this.db = Database.open(settings);
        SigninDb store = new SigninDb(db);
        this.keys = new SigningKeys(store, clock, ROTATION, TOKEN_LIFETIME);
        this.sessions = new SessionStore(store, clock, Duration.ofDays(14), REUSE_GRACE, TOKEN_LIFETIME, maxPerUser, 10_000);
        this.tokens = new SessionTokens(keys, clock, "https://gw.corp.example", TOKEN_LIFETIME, null);
        this.resolver = new SessionResolver(tokens, sessions, blocked::contains, () -> catchUps++);
        this.grants = new DeviceGrants(store, clock, Duration.ofMinutes(10), Duration.ofSeconds(5), 100);
        this.flows = new LoginFlows(store, clock, Duration.ofMinutes(10), 100);
        sync();
    }

    /** What the upkeep thread does every sync period. */
    void sync() {
        keys.sync();
        sessions.sync();
    }

    /** Signs a developer in here: a stored session and an access token for it. */
    Signed signIn(String email, String... groups) {
        SignedInUser u = new SignedInUser(email, email, List.of(groups), "platform", "acme", Map.of("cost_center", "42"));
        SessionStore.Issued issued = sessions.open(u, "claude_code");
        return new Signed(issued, tokens.issue(issued.session()));
    }

    Identity resolve(String token) {
        return resolver.resolve(token);
    }

    record Signed(SessionStore.Issued issued, String token) {
        String sid() {
            return issued.session().sid();
        }

        String refresh() {
            return issued.refreshToken();
        }
    }

    @Override
    public void close() {
        db.close();
    }
}
