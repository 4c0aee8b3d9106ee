package dev.sluice.identity;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Organizations, teams, users and keys in the database. Every method is blocking JDBC: call it from a worker
 * thread ({@code vertx.executeBlocking}), never from an event loop. Refusals are {@link IdentityException}s that
 * name the bad value; database failures are {@link IllegalStateException}s.
 *
 * <p>Nothing is ever deleted that the ledger may refer to: a user with keys, a team with users and an org with
 * teams can only be disabled, which stops their keys at the next registry refresh.
 */
public final class IdentityStore {
    private static final String ORG_COLUMNS = "id, name, disabled, created_ms";
    private static final String TEAM_COLUMNS = "id, org_id, name, disabled, created_ms";
    private static final String USER_COLUMNS = "id, team_id, name, email, tags, monthly_cap_nano_usd, disabled, created_ms";

    private final Sql sql;
    private final Clock clock;
    private final KeyTable keys;

    public IdentityStore(Database db) {
        this(db, Clock.systemUTC());
    }

    public IdentityStore(Database db, Clock clock) {
        this(new Sql(Objects.requireNonNull(db, "db").dataSource(), db.isPostgres()), clock);
    }

    private IdentityStore(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.keys = new KeyTable(sql, clock);
    }

    /**
     * The same store, every change also written to {@code store_changes} as made by {@code who}, in the change's own
     * transaction: for changes made beside the gateway (the CLI), which its audit log learns of from there
     * ({@link StoreChanges}). The admin API audits its changes itself and does not use this.
     */
    public IdentityStore recordingChangesAs(String who) {
        return new IdentityStore(sql.recordingAs(Checks.text("who", who), clock), clock);
    }

    // ---- organizations ----

    public Org createOrg(String id, String name) {
        Checks.id("org id", id);
        String n = name == null ? id : Checks.text("org name", name);
        return sql.write("create org " + id, c -> {
            requireNew(c, "orgs", "org", id);
            Sql.update(c, "INSERT INTO orgs (" + ORG_COLUMNS + ") VALUES (?, ?, ?, ?)", id, n, false, clock.millis());
            return org(c, id);
        });
    }

    public List<Org> orgs() {
        return sql.read("list orgs", c -> list(c, "SELECT " + ORG_COLUMNS + " FROM orgs ORDER BY id", IdentityStore::org));
    }

    public Org org(String id) {
        return sql.read("get org " + id, c -> org(c, id));
    }

    /** Renames and/or disables; null leaves a field alone. */
    public Org updateOrg(String id, String name, Boolean disabled) {
        String n = name == null ? null : Checks.text("org name", name);
        return sql.write("update org " + id, c -> {
            Org o = org(c, id);
            Sql.update(c, "UPDATE orgs SET name = ?, disabled = ? WHERE id = ?",
                    n == null ? o.name() : n, disabled == null ? o.disabled() : disabled, id);
            return org(c, id);
        });
    }

    /** Only an org without teams can be deleted; otherwise disable it. */
    public void deleteOrg(String id) {
        sql.write("delete org " + id, c -> {
            org(c, id);
            requireNoChildren(c, "org", id, "teams", "org_id", "teams");
            return Sql.update(c, "DELETE FROM orgs WHERE id = ?", id);
        });
    }

    // ---- teams ----

    public Team createTeam(String id, String orgId, String name) {
        Checks.id("team id", id);
        Checks.id("org id", orgId);
        String n = name == null ? id : Checks.text("team name", name);
        return sql.write("create team " + id, c -> {
            org(c, orgId);
            requireNew(c, "teams", "team", id);
            Sql.update(c, "INSERT INTO teams (" + TEAM_COLUMNS + ") VALUES (?, ?, ?, ?, ?)", id, orgId, n, false,
                    clock.millis());
            return team(c, id);
        });
    }

    /** All teams, or those of one org (which must exist). */
    public List<Team> teams(String orgId) {
        return sql.read("list teams", c -> {
            if (orgId == null) {
                return list(c, "SELECT " + TEAM_COLUMNS + " FROM teams ORDER BY id", IdentityStore::team);
            }
            org(c, orgId);
            return list(c, "SELECT " + TEAM_COLUMNS + " FROM teams WHERE org_id = ? ORDER BY id", IdentityStore::team, orgId);
        });
    }

    public Team team(String id) {
        return sql.read("get team " + id, c -> team(c, id));
    }

    public Team updateTeam(String id, String name, Boolean disabled) {
        String n = name == null ? null : Checks.text("team name", name);
        return sql.write("update team " + id, c -> {
            Team t = team(c, id);
            Sql.update(c, "UPDATE teams SET name = ?, disabled = ? WHERE id = ?",
                    n == null ? t.name() : n, disabled == null ? t.disabled() : disabled, id);
            return team(c, id);
        });
    }

    /** Only a team without users can be deleted; otherwise disable it. */
    public void deleteTeam(String id) {
        sql.write("delete team " + id, c -> {
            team(c, id);
            requireNoChildren(c, "team", id, "users", "team_id", "users");
            return Sql.update(c, "DELETE FROM teams WHERE id = ?", id);
        });
    }

    // ---- users ----

    public User createUser(NewUser u) {
        Objects.requireNonNull(u, "user");
        Checks.id("user id", u.id());
        Checks.id("team id", u.teamId());
        String name = u.name() == null ? u.id() : Checks.text("user name", u.name());
        String email = Checks.email(u.email());
        String tags = Sql.tagsJson(Checks.tags(u.tags()));
        Long cap = Usd.toNano(Usd.check(u.monthlyCapUsd()));
        return sql.write("create user " + u.id(), c -> {
            team(c, u.teamId());
            requireNew(c, "users", "user", u.id());
            Sql.update(c, "INSERT INTO users (" + USER_COLUMNS + ") VALUES (?, ?, ?, ?, " + sql.jsonParam() + ", ?, ?, ?)",
                    u.id(), u.teamId(), name, email, tags, Sql.nullable(cap), false, clock.millis());
            return user(c, u.id());
        });
    }

    /** All users, or those of one team (which must exist). */
    public List<User> users(String teamId) {
        return sql.read("list users", c -> {
            if (teamId == null) {
                return list(c, "SELECT " + USER_COLUMNS + " FROM users ORDER BY id", IdentityStore::user);
            }
            team(c, teamId);
            return list(c, "SELECT " + USER_COLUMNS + " FROM users WHERE team_id = ? ORDER BY id", IdentityStore::user,
                    teamId);
        });
    }

    public User user(String id) {
        return sql.read("get user " + id, c -> user(c, id));
    }

    public User updateUser(String id, UserChanges ch) {
        String name = ch.name() == null ? null : Checks.text("user name", ch.name());
        String email = ch.email() == null ? null : Checks.email(ch.email().value());
        String tags = ch.tags() == null ? null : Sql.tagsJson(Checks.tags(ch.tags()));
        Long cap = ch.monthlyCapUsd() == null ? null : Usd.toNano(Usd.check(ch.monthlyCapUsd().value()));
        if (ch.teamId() != null) {
            Checks.id("team id", ch.teamId());
        }
        return sql.write("update user " + id, c -> {
            User u = user(c, id);
            if (ch.teamId() != null) {
                team(c, ch.teamId());
            }
            Sql.update(c, "UPDATE users SET name = ?, email = ?, team_id = ?, tags = " + sql.jsonParam()
                            + ", monthly_cap_nano_usd = ?, disabled = ? WHERE id = ?",
                    name == null ? u.name() : name,
                    ch.email() == null ? u.email() : email,
                    ch.teamId() == null ? u.teamId() : ch.teamId(),
                    tags == null ? Sql.tagsJson(u.tags()) : tags,
                    Sql.nullable(ch.monthlyCapUsd() == null ? Usd.toNano(u.monthlyCapUsd()) : cap),
                    ch.disabled() == null ? u.disabled() : ch.disabled(), id);
            return user(c, id);
        });
    }

    /** Only a user who never had a key can be deleted (the ledger refers to keys); otherwise disable the user. */
    public void deleteUser(String id) {
        sql.write("delete user " + id, c -> {
            user(c, id);
            requireNoChildren(c, "user", id, "virtual_keys", "user_id", "keys (revoked ones too)");
            return Sql.update(c, "DELETE FROM users WHERE id = ?", id);
        });
    }

    // ---- keys ----

    /** Issues a key; the returned secret is never stored and cannot be shown again. */
    public IssuedKey issueKey(NewKey k) {
        return keys.issue(Objects.requireNonNull(k, "key"));
    }

    /** All keys, or those of one user (who must exist), oldest first, revoked and expired ones included. */
    public List<VirtualKey> keys(String userId) {
        return keys.list(userId);
    }

    public VirtualKey key(String id) {
        return keys.get(id);
    }

    /** Stops the key and all its secrets for good; revoking twice is harmless. */
    public VirtualKey revokeKey(String id) {
        return keys.revoke(id);
    }

    /**
     * Gives the key a new secret. The old ones keep working until {@code now + grace} (zero: they stop at once),
     * and a key with a lifetime is renewed for that long.
     */
    public IssuedKey rotateKey(String id, Duration grace) {
        return keys.rotate(id, grace);
    }

    public VirtualKey updateKey(String id, KeyChanges changes) {
        return keys.update(id, Objects.requireNonNull(changes, "changes"));
    }

    // ---- for the registry ----

    /** Grows with every identity write, from any process. */
    long version() {
        return sql.read("read identity version", c -> Sql.count(c, "SELECT version FROM identity_version WHERE id = 1"));
    }

    /** The version, then every secret usable now or later; read in that order so a snapshot is never staler than its version. */
    KeySnapshot snapshot() {
        return keys.snapshot();
    }

    // ---- rows ----

    private static Org org(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + ORG_COLUMNS + " FROM orgs WHERE id = ?", IdentityStore::org, "org", id);
    }

    private static Team team(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + TEAM_COLUMNS + " FROM teams WHERE id = ?", IdentityStore::team, "team", id);
    }

    static User user(Connection c, String id) throws SQLException {
        return one(c, "SELECT " + USER_COLUMNS + " FROM users WHERE id = ?", IdentityStore::user, "user", id);
    }

    private static Org org(ResultSet rs) throws SQLException {
        return new Org(rs.getString("id"), rs.getString("name"), rs.getBoolean("disabled"),
                Sql.getInstant(rs, "created_ms"));
    }

    private static Team team(ResultSet rs) throws SQLException {
        return new Team(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), rs.getBoolean("disabled"),
                Sql.getInstant(rs, "created_ms"));
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("team_id"), rs.getString("name"), rs.getString("email"),
                Sql.tags(rs.getString("tags")), Usd.fromNano(Sql.getLong(rs, "monthly_cap_nano_usd")),
                rs.getBoolean("disabled"), Sql.getInstant(rs, "created_ms"));
    }

    /** Maps one result row. */
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    static <T> List<T> list(Connection c, String query, Row<T> row, Object... params) throws SQLException {
        List<T> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.prepare(c, query, params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.map(rs));
            }
        }
        return out;
    }

    private static <T> T one(Connection c, String query, Row<T> row, String what, String id) throws SQLException {
        List<T> found = list(c, query, row, id);
        if (found.isEmpty()) {
            throw IdentityException.notFound(what, id);
        }
        return found.getFirst();
    }

    private static void requireNew(Connection c, String table, String what, String id) throws SQLException {
        if (Sql.exists(c, table, id)) {
            throw IdentityException.conflict(what + " \"" + id + "\" already exists");
        }
    }

    private static void requireNoChildren(Connection c, String what, String id, String table, String column, String children)
            throws SQLException {
        long n = Sql.count(c, "SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?", id);
        if (n > 0) {
            throw IdentityException.conflict(what + " \"" + id + "\" still has " + n + " " + children
                    + " (expected: none; disable the " + what + " instead)");
        }
    }

    /** Now, from the store's clock; exposed for callers that show times relative to the store. */
    public Instant now() {
        return clock.instant();
    }
}
