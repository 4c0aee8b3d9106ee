package dev.sluice.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.Identity;
import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity store and key registry, run against SQLite and a real PostgreSQL by the two subclasses. */
abstract class IdentityContractTest {

    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    /** The database under test, open for the whole class. */
    abstract Database db();

    /** Settings that open the same database again, as another process would. */
    abstract StoreSettings settings();

    TestClock clock;
    IdentityStore store;
    KeyRegistry registry;

    @BeforeEach
    void emptyTablesAndAHierarchy() throws SQLException {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement()) {
            for (String t : List.of("key_secrets", "virtual_keys", "users", "teams", "orgs")) {
                s.execute("DELETE FROM " + t);
            }
        }
        clock = new TestClock(T0);
        store = new IdentityStore(db(), clock);
        store.createOrg("acme", "Acme Corp");
        store.createTeam("platform", "acme", null);
        store.createUser(new NewUser("ana", "platform", "Ana", "ana@example.com", Map.of("cost-center", "cc-1"),
                new BigDecimal("200")));
        registry = new KeyRegistry(store, clock, Duration.ofMinutes(10));
    }

    @AfterEach
    void closeRegistry() {
        registry.close();
    }

    @Test
    void directoryRefusesDuplicatesUnknownParentsAndDeletingWhatIsInUse() {
        assertThat(store.orgs()).extracting(Org::name).containsExactly("Acme Corp");
        assertThat(store.team("platform").name()).isEqualTo("platform");
        assertThat(store.users("platform")).extracting(User::email).containsExactly("ana@example.com");
        assertThatThrownBy(() -> store.createOrg("acme", null))
                .isInstanceOfSatisfying(IdentityException.class, e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.CONFLICT))
                .hasMessage("org \"acme\" already exists");
        assertThatThrownBy(() -> store.createTeam("web", "nope", null)).hasMessage("org \"nope\" not found");
        assertThatThrownBy(() -> store.createUser(new NewUser("bo b", "platform", null, null, null, null)))
                .hasMessageStartingWith("user id: \"bo b\" (expected: 1-128 letters");
        assertThatThrownBy(() -> store.createUser(new NewUser("bob", "platform", null, null, Map.of("Repo!", "x"), null)))
                .hasMessageStartingWith("tag name: \"Repo!\" (expected:");
        assertThatThrownBy(() -> store.deleteTeam("platform"))
                .hasMessage("team \"platform\" still has 1 users (expected: none; disable the team instead)");

        store.createTeam("web", "acme", "Web");
        store.deleteTeam("web");
        assertThatThrownBy(() -> store.team("web")).isInstanceOfSatisfying(IdentityException.class,
                e -> assertThat(e.kind()).isEqualTo(IdentityException.Kind.NOT_FOUND));
        User moved = store.updateUser("ana", new UserChanges(null, Change.to(null), null, Map.of("repo", "api"),
                Change.to(new BigDecimal("12.50")), null));
        assertThat(moved.email()).isNull();
        assertThat(moved.tags()).containsExactly(Map.entry("repo", "api"));
        assertThat(moved.monthlyCapUsd()).isEqualByComparingTo("12.5");
        assertThat(moved.name()).isEqualTo("Ana");
    }

    /** Attack round 10 H1: a developer signed in with /login (a session, no key) is held to their user's monthly cap. */
    @Test
    void changesMadeAsAnOperatorAreRecordedInTheirOwnTransactionAndOthersAreNot() {
        StoreChanges changes = new StoreChanges(db());
        List<StoreChanges.Row> before = changes.after(0, 10_000);
        long last = before.isEmpty() ? 0 : before.get(before.size() - 1).seq();
        store.createTeam("quiet", "acme", null); // the admin API's path: it audits itself, no row
        IdentityStore cli = store.recordingChangesAs("ops@host (cli)");
        cli.createTeam("loud", "acme", null);
        IssuedKey k = cli.issueKey(new NewKey("ana", "ci", null, null, null));
        cli.rotateKey(k.key().id(), Duration.ofHours(1));
        assertThatThrownBy(() -> cli.createTeam("loud", "acme", null)).isInstanceOf(IdentityException.class);
        List<StoreChanges.Row> rows = changes.after(last, 100);
        assertThat(rows).extracting(StoreChanges.Row::action).containsExactly("team.create", "key.issue", "key.rotate");
        assertThat(rows).extracting(StoreChanges.Row::object).containsExactly("loud", "user ana", k.key().id());
        assertThat(rows).allSatisfy(r -> {
            assertThat(r.who()).isEqualTo("ops@host (cli)");
            assertThat(r.tsMillis()).isEqualTo(clock.millis());
        });
        assertThat(changes.after(rows.get(1).seq(), 100)).hasSize(1);
    }

    @Test
    void aCallerWithoutAnIssuedKeyIsHeldToItsUsersCap() {
        registry.reload();
        Identity session = new Identity("sso:ana", "ana@example.com", "ana", "platform", "acme", Map.of());
        assertThat(registry.caps(session)).isEqualTo(new MonthlyCaps(null, new BigDecimal("200")));
        assertThat(registry.caps(new Identity("sso:zoe", "zoe@example.com", "zoe", "platform", "acme", Map.of())))
                .as("a user without a cap").isEqualTo(MonthlyCaps.NONE);
        IssuedKey issued = store.issueKey(new NewKey("ana", "ana-laptop", Map.of(), new BigDecimal("50"), null));
        registry.reload();
        assertThat(registry.caps(registry.resolve(issued.secret())))
                .as("with a key: the key's cap and the user's").isEqualTo(new MonthlyCaps(new BigDecimal("50"), new BigDecimal("200")));
    }

    @Test
    void issuedKeyIsStoredOnlyAsADigestAndResolvesToItsOwners() throws SQLException {
        IssuedKey issued = store.issueKey(new NewKey("ana", "ana-laptop", Map.of("Repo", "api", "cost-center", "cc-9"),
                new BigDecimal("50"), null));
        assertThat(issued.secret()).matches("sk-sluice-[0-9A-Za-z]{43}");
        assertThat(issued.key().prefix()).isEqualTo(issued.secret().substring(0, 16) + "…");
        assertThat(issued.toString()).doesNotContain(issued.secret());
        assertThat(column("SELECT hash FROM key_secrets")).hasSize(64).doesNotContain(issued.secret().substring(10));
        assertThat(column("SELECT COUNT(*) FROM key_secrets WHERE prefix LIKE '%" + issued.secret().substring(16) + "%'"))
                .isEqualTo("0");

        assertThat(registry.resolve(issued.secret())).as("not loaded yet").isNull();
        registry.reload();
        Identity who = registry.resolve(issued.secret());
        assertThat(who).isEqualTo(new Identity(issued.key().id(), "ana-laptop", "ana", "platform", "acme",
                Map.of("repo", "api", "cost-center", "cc-9")));
        assertThat(registry.caps(issued.key().id())).isEqualTo(new MonthlyCaps(new BigDecimal("50"), new BigDecimal("200")));
        assertThat(registry.caps("key_unknown")).isEqualTo(MonthlyCaps.NONE);
        assertThat(registry.isEmpty()).isFalse();

        String secret = issued.secret();
        char last = secret.charAt(secret.length() - 1);
        assertThat(registry.resolve(secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a'))).isNull();
        assertThat(registry.resolve(secret + "x")).isNull();
        assertThat(registry.resolve(secret.substring(10))).isNull();
        assertThat(registry.resolve(null)).isNull();
    }

    @Test
    void revokedAndDisabledKeysStopButTheGatewayNeverReopens() {
        IssuedKey k = store.issueKey(new NewKey("ana", null, null, null, null));
        IssuedKey other = store.issueKey(new NewKey("ana", "ci", null, null, null));
        registry.reload();
        assertThat(registry.resolve(k.secret())).isNotNull();

        assertThat(store.revokeKey(k.key().id()).status(T0)).isEqualTo(KeyStatus.REVOKED);
        store.revokeKey(k.key().id()); // twice is harmless
        registry.reload();
        assertThat(registry.resolve(k.secret())).isNull();
        assertThat(registry.resolve(other.secret())).isNotNull();
        assertThatThrownBy(() -> store.rotateKey(k.key().id(), Duration.ZERO)).hasMessageContaining("is revoked");

        store.updateTeam("platform", null, true);
        registry.reload();
        assertThat(registry.resolve(other.secret())).isNull();
        store.revokeKey(other.key().id());
        registry.reload();
        assertThat(registry.isEmpty()).as("revoking every key must not open the gateway").isFalse();
    }

    @Test
    void expiryIsCheckedOnEveryRequestWithoutAReload() {
        IssuedKey k = store.issueKey(new NewKey("ana", null, null, null, Duration.ofDays(90)));
        assertThat(k.key().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(90)));
        registry.reload();
        clock.advance(Duration.ofDays(90).minusMillis(1));
        assertThat(registry.resolve(k.secret())).isNotNull();
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.resolve(k.secret())).isNull();
        assertThat(store.key(k.key().id()).status(clock.instant())).isEqualTo(KeyStatus.EXPIRED);

        VirtualKey extended = store.updateKey(k.key().id(), new KeyChanges(null, null, null, Change.to(null)));
        assertThat(extended.expiresAt()).isNull();
        assertThat(extended.lifetime()).isNull();
        registry.reload();
        assertThat(registry.resolve(k.secret())).isNotNull();

        // attack round 34: an expiry whose epoch milliseconds overflow is the caller's error, and changes nothing
        for (String far : new String[] {"+999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "+10000000-01-01T00:00:00Z"}) {
            assertThatThrownBy(() -> store.updateKey(k.key().id(), new KeyChanges(null, null, null, Change.to(Instant.parse(far)))))
                    .isInstanceOf(IdentityException.class)
                    .hasMessageContaining("expires_at: " + Instant.parse(far) + " (expected: an instant within 100 years of now)");
        }
        assertThat(store.key(k.key().id()).expiresAt()).isNull();
        Instant decade = clock.instant().plus(Duration.ofDays(3650));
        assertThat(store.updateKey(k.key().id(), new KeyChanges(null, null, null, Change.to(decade))).expiresAt()).isEqualTo(decade);

        store.updateKey(k.key().id(), new KeyChanges(null, null, null, Change.to(clock.instant())));
        assertThat(store.key(k.key().id()).status(clock.instant())).as("expires_at exactly now: expired").isEqualTo(KeyStatus.EXPIRED);
        registry.reload();
        assertThat(registry.resolve(k.secret())).isNull();
        assertThatThrownBy(() -> store.rotateKey(k.key().id(), Duration.ZERO))
                .hasMessageContaining("expired at " + clock.instant() + " (expected: an unexpired key");
    }

    @Test
    void rotationKeepsTheOldSecretWorkingUntilTheGraceEnds() {
        IssuedKey first = store.issueKey(new NewKey("ana", "laptop", null, null, Duration.ofDays(30)));
        clock.advance(Duration.ofDays(10));
        IssuedKey second = store.rotateKey(first.key().id(), Duration.ofHours(24));
        assertThat(second.key().id()).isEqualTo(first.key().id());
        assertThat(second.secret()).isNotEqualTo(first.secret());
        assertThat(second.key().expiresAt()).as("renewed for its lifetime").isEqualTo(clock.instant().plus(Duration.ofDays(30)));
        assertThat(second.key().secrets()).extracting(KeySecret::retiresAt)
                .containsExactly(null, clock.instant().plus(Duration.ofHours(24)));
        registry.reload();

        clock.advance(Duration.ofHours(24).minusMillis(1));
        assertThat(registry.resolve(first.secret())).isNotNull();
        assertThat(registry.resolve(second.secret()).keyId()).isEqualTo(first.key().id());
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.resolve(first.secret())).isNull();
        assertThat(registry.resolve(second.secret())).isNotNull();

        IssuedKey third = store.rotateKey(first.key().id(), Duration.ZERO);
        registry.reload();
        assertThat(registry.resolve(second.secret())).isNull();
        assertThat(registry.resolve(third.secret())).isNotNull();
        assertThat(store.key(first.key().id()).secrets()).as("long-retired secrets are pruned").hasSize(1);
    }

    @Test
    void refreshPicksUpWritesFromAnotherConnectionAndNeverNeedsTheDatabaseToResolve() throws Exception {
        try (Database elsewhere = Database.open(settings())) {
            IdentityStore cli = new IdentityStore(elsewhere, clock);
            IssuedKey k = cli.issueKey(new NewKey("ana", "from-cli", null, null, null));
            try (KeyRegistry polling = new KeyRegistry(store, clock, Duration.ofMillis(50)).start()) {
                registry.refresh();
                assertThat(registry.resolve(k.secret()).keyAlias()).isEqualTo("from-cli");
                cli.revokeKey(k.key().id());
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (polling.resolve(k.secret()) != null && System.nanoTime() < until) {
                    Thread.sleep(20);
                }
                assertThat(polling.resolve(k.secret())).as("background refresh saw the revocation").isNull();
            }
            IssuedKey live = cli.issueKey(new NewKey("ana", "live", null, null, null));
            KeyRegistry offline = new KeyRegistry(cli, clock, Duration.ofMinutes(1));
            elsewhere.close(); // the database goes away: resolving must not notice
            assertThat(offline.resolve(live.secret())).isNotNull();
            offline.refresh(); // logs, keeps the last snapshot
            assertThat(offline.resolve(live.secret())).isNotNull();
        }
    }

    @Test
    void emptyUntilTheFirstKeyAndComposesWithStaticKeys() {
        assertThat(registry.isEmpty()).isTrue();
        var statics = new dev.sluice.authenticate.StaticKeys(List.of("config-key"));
        var both = Resolvers.firstOf(statics, registry);
        assertThat(Resolvers.firstOf(new dev.sluice.authenticate.StaticKeys(List.of()), registry).isEmpty()).isTrue();
        assertThat(both.isEmpty()).isFalse();
        IssuedKey k = store.issueKey(new NewKey("ana", null, null, null, null));
        registry.reload();
        assertThat(both.resolve("config-key").keyAlias()).isEqualTo("config key 1");
        assertThat(both.resolve(k.secret()).userId()).isEqualTo("ana");
        assertThat(both.resolve("sk-sluice-nope")).isNull();
    }

    private String column(String sql) throws SQLException {
        try (Connection c = db().dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
