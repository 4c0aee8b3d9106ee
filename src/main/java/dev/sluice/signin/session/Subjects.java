package dev.sluice.signin.session;

import dev.sluice.signin.store.SigninDb;
import java.sql.SQLException;
import java.time.Clock;

/**
 * Which IdP account ({@code iss} + {@code sub}) each developer signs in with, in {@code signin_subjects}. A user
 * is named by their email address, and an address can move between IdP accounts (renamed, re-created, a second
 * tenant or provider that lets anyone claim any address); the first account to sign in as a user keeps it, and
 * another account presenting the same address is refused rather than handed the developer's identity, budget
 * and history. An operator who moves a developer to a new IdP account clears the binding ({@link #forget}).
 *
 * <p>Blocking (JDBC): call it from a worker thread.
 */
public final class Subjects {
    private final SigninDb db;
    private final Clock clock;

    public Subjects(SigninDb db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Binds the user to the account on first sign-in; true when the user is (now) bound to exactly this account. */
    public boolean bind(String userId, String issuer, String subject) {
        return db.run("bind a developer to their IdP account", c -> {
            Bound known = read(c, userId);
            if (known == null) {
                try {
                    SigninDb.update(c, "INSERT INTO signin_subjects (user_id, issuer, subject, created_ms) VALUES (?, ?, ?, ?)",
                            userId, issuer, subject, clock.millis());
                    return true;
                } catch (SQLException raced) {
                    known = read(c, userId); // another sign-in bound it a moment ago: that binding decides
                    if (known == null) {
                        throw raced;
                    }
                }
            }
            return known.issuer().equals(issuer) && known.subject().equals(subject);
        });
    }

    /** Clears a developer's binding, so their next sign-in binds the account it comes from; true when there was one. */
    public boolean forget(String userId) {
        return db.run("forget a developer's IdP account", c ->
                SigninDb.update(c, "DELETE FROM signin_subjects WHERE user_id = ?", userId) == 1);
    }

    private static Bound read(java.sql.Connection c, String userId) throws SQLException {
        return SigninDb.one(c, "SELECT issuer, subject FROM signin_subjects WHERE user_id = ?",
                rs -> new Bound(rs.getString(1), rs.getString(2)), userId);
    }

    private record Bound(String issuer, String subject) {
    }
}
