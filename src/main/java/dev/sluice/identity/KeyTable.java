package dev.sluice.identity;

import dev.sluice.pipeline.Identity;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The {@code virtual_keys} and {@code key_secrets} tables, behind {@link IdentityStore}'s key methods. */
final class KeyTable {
    private static final String KEY_COLUMNS =
            "id, user_id, alias, tags, monthly_cap_nano_usd, lifetime_ms, expires_ms, revoked_ms, created_ms";
    private static final HexFormat HEX = HexFormat.of();

    private final Sql sql;
    private final Clock clock;

    KeyTable(Sql sql, Clock clock) {
        this.sql = sql;
        this.clock = clock;
    }

    IssuedKey issue(NewKey k) {
        Checks.id("user id", k.userId());
        String alias = k.alias() == null ? k.userId() : Checks.text("alias", k.alias());
        String tags = Sql.tagsJson(Checks.tags(k.tags()));
        Long cap = Usd.toNano(Usd.check(k.monthlyCapUsd()));
        Duration lifetime = Checks.positive("expires", k.expiresIn());
        return sql.write("issue key for " + k.userId(), c -> {
            User owner = IdentityStore.user(c, k.userId());
            if (owner.disabled()) {
                throw IdentityException.conflict("user \"" + owner.id() + "\" is disabled (expected: an enabled user)");
            }
            long now = clock.millis();
            String id = KeyMaterial.newKeyId();
            Long lifetimeMs = lifetime == null ? null : lifetime.toMillis();
            Sql.update(c, "INSERT INTO virtual_keys (" + KEY_COLUMNS + ") VALUES (?, ?, ?, " + sql.jsonParam()
                            + ", ?, ?, ?, ?, ?)", id, owner.id(), alias, tags, Sql.nullable(cap), Sql.nullable(lifetimeMs),
                    Sql.nullable(lifetimeMs == null ? null : now + lifetimeMs), Sql.nullable(null), now);
            String secret = addSecret(c, id, now);
            return new IssuedKey(get(c, id), secret);
        });
    }

    List<VirtualKey> list(String userId) {
        return sql.read("list keys", c -> {
            if (userId == null) {
                return withSecrets(c, IdentityStore.list(c, "SELECT " + KEY_COLUMNS
                        + " FROM virtual_keys ORDER BY created_ms, id", KeyTable::keyRow), "");
            }
            IdentityStore.user(c, userId);
            return withSecrets(c, IdentityStore.list(c, "SELECT " + KEY_COLUMNS
                            + " FROM virtual_keys WHERE user_id = ? ORDER BY created_ms, id", KeyTable::keyRow, userId),
                    " WHERE key_id IN (SELECT id FROM virtual_keys WHERE user_id = ?)", userId);
        });
    }

    VirtualKey get(String id) {
        return sql.read("get key " + id, c -> get(c, id));
    }

    VirtualKey revoke(String id) {
        return sql.write("revoke key " + id, c -> {
            VirtualKey k = get(c, id);
            if (k.revokedAt() == null) {
                Sql.update(c, "UPDATE virtual_keys SET revoked_ms = ? WHERE id = ?", clock.millis(), id);
            }
            return get(c, id);
        });
    }

    IssuedKey rotate(String id, Duration grace) {
        if (grace == null || grace.isNegative()) {
            throw IdentityException.invalid("grace: " + grace + " (expected: zero or longer, such as 24h)");
        }
        return sql.write("rotate key " + id, c -> {
            VirtualKey k = get(c, id);
            if (k.revokedAt() != null) {
                throw IdentityException.conflict("key \"" + id + "\" is revoked (expected: an unrevoked key; issue a new one)");
            }
            long now = clock.millis();
            if (k.lifetime() == null && k.expiresAt() != null && k.expiresAt().toEpochMilli() <= now) {
                throw IdentityException.conflict("key \"" + id + "\" expired at " + k.expiresAt()
                        + " (expected: an unexpired key; set a later expiry first)");
            }
            long retires = now + grace.toMillis();
            // Secrets already retiring sooner keep their earlier end; long-retired ones are no use to anyone.
            Sql.update(c, "UPDATE key_secrets SET retires_ms = ? WHERE key_id = ? AND (retires_ms IS NULL OR retires_ms > ?)",
                    retires, id, retires);
            Sql.update(c, "DELETE FROM key_secrets WHERE key_id = ? AND retires_ms <= ?", id, now);
            if (k.lifetime() != null) {
                Sql.update(c, "UPDATE virtual_keys SET expires_ms = ? WHERE id = ?", now + k.lifetime().toMillis(), id);
            }
            String secret = addSecret(c, id, now);
            return new IssuedKey(get(c, id), secret);
        });
    }

    VirtualKey update(String id, KeyChanges ch) {
        String alias = ch.alias() == null ? null : Checks.text("alias", ch.alias());
        String tags = ch.tags() == null ? null : Sql.tagsJson(Checks.tags(ch.tags()));
        Long cap = ch.monthlyCapUsd() == null ? null : Usd.toNano(Usd.check(ch.monthlyCapUsd().value()));
        if (ch.expiresAt() != null) {
            Checks.instant("expires_at", ch.expiresAt().value(), clock.instant());
        }
        return sql.write("update key " + id, c -> {
            VirtualKey k = get(c, id);
            Instant expires = ch.expiresAt() == null ? k.expiresAt() : ch.expiresAt().value();
            // Clearing the expiry means "never expires", so rotations must not bring a lifetime back.
            Duration lifetime = ch.expiresAt() != null && expires == null ? null : k.lifetime();
            Sql.update(c, "UPDATE virtual_keys SET alias = ?, tags = " + sql.jsonParam()
                            + ", monthly_cap_nano_usd = ?, expires_ms = ?, lifetime_ms = ? WHERE id = ?",
                    alias == null ? k.alias() : alias, tags == null ? Sql.tagsJson(k.tags()) : tags,
                    Sql.nullable(ch.monthlyCapUsd() == null ? Usd.toNano(k.monthlyCapUsd()) : cap), Sql.millis(expires),
                    Sql.nullable(lifetime == null ? null : lifetime.toMillis()), id);
            return get(c, id);
        });
    }

    KeySnapshot snapshot() {
        return sql.read("load keys", c -> {
            long version = Sql.count(c, "SELECT version FROM identity_version WHERE id = 1");
            long now = clock.millis();
            List<ActiveKey> active = IdentityStore.list(c, """
                    SELECT s.hash, s.retires_ms, k.id, k.alias, k.tags, k.monthly_cap_nano_usd, k.expires_ms,
                           u.id AS user_id, u.tags AS user_tags, u.monthly_cap_nano_usd AS user_cap, t.id AS team_id,
                           t.org_id
                    FROM key_secrets s
                    JOIN virtual_keys k ON k.id = s.key_id
                    JOIN users u ON u.id = k.user_id
                    JOIN teams t ON t.id = u.team_id
                    JOIN orgs o ON o.id = t.org_id
                    WHERE k.revoked_ms IS NULL AND NOT u.disabled AND NOT t.disabled AND NOT o.disabled
                      AND (s.retires_ms IS NULL OR s.retires_ms > ?) AND (k.expires_ms IS NULL OR k.expires_ms > ?)
                    """, KeyTable::activeRow, now, now);
            boolean any = Sql.count(c, "SELECT COUNT(*) FROM virtual_keys") > 0;
            Map<String, BigDecimal> userCaps = new HashMap<>();
            for (Object[] row : IdentityStore.list(c, """
                    SELECT u.id, u.monthly_cap_nano_usd FROM users u
                    JOIN teams t ON t.id = u.team_id
                    JOIN orgs o ON o.id = t.org_id
                    WHERE u.monthly_cap_nano_usd IS NOT NULL AND NOT u.disabled AND NOT t.disabled AND NOT o.disabled
                    """, rs -> new Object[] {rs.getString(1), rs.getLong(2)})) {
                userCaps.put((String) row[0], Usd.fromNano((Long) row[1]));
            }
            return new KeySnapshot(version, active, any, userCaps);
        });
    }

    // ---- rows ----

    private String addSecret(Connection c, String keyId, long now) throws SQLException {
        String secret = KeyMaterial.newSecret();
        Sql.update(c, "INSERT INTO key_secrets (hash, key_id, prefix, created_ms, retires_ms) VALUES (?, ?, ?, ?, ?)",
                HEX.formatHex(KeyMaterial.sha256(secret)), keyId, KeyMaterial.displayPrefix(secret), now,
                Sql.nullable(null));
        return secret;
    }

    private static VirtualKey get(Connection c, String id) throws SQLException {
        List<VirtualKey> found = withSecrets(c, IdentityStore.list(c, "SELECT " + KEY_COLUMNS
                + " FROM virtual_keys WHERE id = ?", KeyTable::keyRow, id), " WHERE key_id = ?", id);
        if (found.isEmpty()) {
            throw IdentityException.notFound("key", id);
        }
        return found.getFirst();
    }

    /** Attaches secrets (newest first) to keys read without them; {@code where} selects the secrets to read. */
    private static List<VirtualKey> withSecrets(Connection c, List<VirtualKey> keys, String where, Object... params)
            throws SQLException {
        Map<String, List<KeySecret>> secrets = new LinkedHashMap<>();
        for (String[] s : IdentityStore.list(c, "SELECT key_id, prefix, created_ms, retires_ms FROM key_secrets" + where
                + " ORDER BY created_ms DESC, CASE WHEN retires_ms IS NULL THEN 0 ELSE 1 END, retires_ms DESC", rs -> new String[] {rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4)}, params)) {
            secrets.computeIfAbsent(s[0], k -> new ArrayList<>()).add(new KeySecret(s[1], instant(s[2]), instant(s[3])));
        }
        List<VirtualKey> out = new ArrayList<>(keys.size());
        for (VirtualKey k : keys) {
            out.add(new VirtualKey(k.id(), k.alias(), k.userId(), k.tags(), k.monthlyCapUsd(), k.lifetime(),
                    k.createdAt(), k.expiresAt(), k.revokedAt(), List.copyOf(secrets.getOrDefault(k.id(), List.of()))));
        }
        return out;
    }

    private static Instant instant(String ms) {
        return ms == null ? null : Instant.ofEpochMilli(Long.parseLong(ms));
    }

    private static VirtualKey keyRow(ResultSet rs) throws SQLException {
        Long lifetime = Sql.getLong(rs, "lifetime_ms");
        return new VirtualKey(rs.getString("id"), rs.getString("alias"), rs.getString("user_id"),
                Sql.tags(rs.getString("tags")), Usd.fromNano(Sql.getLong(rs, "monthly_cap_nano_usd")),
                lifetime == null ? null : Duration.ofMillis(lifetime), Sql.getInstant(rs, "created_ms"),
                Sql.getInstant(rs, "expires_ms"), Sql.getInstant(rs, "revoked_ms"), List.of());
    }

    private static ActiveKey activeRow(ResultSet rs) throws SQLException {
        Map<String, String> tags = new TreeMap<>(Sql.tags(rs.getString("user_tags")));
        tags.putAll(Sql.tags(rs.getString("tags"))); // the key's own tags win over its user's
        Identity who = new Identity(rs.getString("id"), rs.getString("alias"), rs.getString("user_id"),
                rs.getString("team_id"), rs.getString("org_id"), Map.copyOf(tags));
        MonthlyCaps caps = new MonthlyCaps(Usd.fromNano(Sql.getLong(rs, "monthly_cap_nano_usd")),
                Usd.fromNano(Sql.getLong(rs, "user_cap")));
        Long retires = Sql.getLong(rs, "retires_ms");
        Long expires = Sql.getLong(rs, "expires_ms");
        return new ActiveKey(HEX.parseHex(rs.getString("hash")), retires == null ? Long.MAX_VALUE : retires,
                expires == null ? Long.MAX_VALUE : expires, who, caps.isEmpty() ? MonthlyCaps.NONE : caps);
    }
}
