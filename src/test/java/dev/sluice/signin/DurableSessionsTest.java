package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.identity.TestClock;
import dev.sluice.pipeline.Identity;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sessions, refresh tokens and signing keys in the database (SQLite and a real PostgreSQL): a
 * restart keeps developers signed in, replicas on one database share sessions and keys, and a
 * revocation on one replica is refused on the other at its next sync (the upkeep runs it every sync
 * period), while the request path reads memory only. The clock is the test's, so every bound is exact.
 */
class DurableSessionsTest {
    @TempDir
    Path data;
    final TestClock clock = new TestClock(Instant.parse("2026-11-02T09:00:00Z"));

    StoreSettings store(String kind) {
        return kind.equals("postgres") ? PostgresForTests.freshDatabase(data) : StoreSettings.sqlite(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRestartKeepsTheDeveloperSignedInAndTheirRefreshTokenWorking(String kind) {
        StoreSettings settings = store(kind);
        Replica.Signed dev;
        Identity before;
        try (Replica gw = new Replica(settings, clock)) {
            dev = gw.signIn("dev@corp.example", "eng");
            before = gw.resolve(dev.token());
            assertThat(before).isNotNull();
        }
        clock.advance(Duration.ofMinutes(5));
        try (Replica restarted = new Replica(settings, clock)) {
            assertThat(restarted.resolve(dev.token())).as("the same token after a restart").isEqualTo(before);
            assertThat(before.keyId()).isEqualTo("sso:dev@corp.example");
            assertThat(before.tags()).containsEntry("cost_center", "42");
            SessionStore.Issued refreshed = restarted.sessions.refresh(dev.refresh());
            assertThat(refreshed).as("the refresh token issued before the restart").isNotNull();
            assertThat(restarted.resolve(restarted.tokens.issue(refreshed.session()))).isEqualTo(before);
            clock.advance(Replica.REUSE_GRACE.plusSeconds(1));
            assertThat(restarted.sessions.refresh(dev.refresh())).as("each refresh token works once").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRevocationOnOneReplicaIsRefusedOnTheOtherAtItsNextSync(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            Replica.Signed dev = a.signIn("dev@corp.example", "eng");
            b.sync();
            assertThat(b.resolve(dev.token())).isNotNull();
            assertThat(a.sessions.revoke(dev.sid())).isTrue();
            assertThat(a.resolve(dev.token())).as("refused at once where it was revoked").isNull();
            assertThat(b.resolve(dev.token())).as("the other replica has not synced yet (the bounded window)").isNotNull();
            b.sync();
            assertThat(b.resolve(dev.token())).as("refused after the other replica's next sync").isNull();
            clock.advance(Duration.ofSeconds(1));
            assertThat(b.resolve(dev.token())).as("a revoked session is never taken for a new one").isNull();
            assertThat(b.sessions.refresh(dev.refresh())).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aSessionOpenedOnAnotherReplicaWorksBeforeTheNextSync(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            clock.advance(Duration.ofMillis(300));
            Replica.Signed dev = a.signIn("new@corp.example", "science");
            Identity onB = b.resolve(dev.token());
            assertThat(onB).as("accepted on its signed claims, and the upkeep woken").isEqualTo(a.resolve(dev.token()));
            assertThat(b.catchUps).isEqualTo(1);
            assertThat(b.sessions.groups("new@corp.example")).containsExactly("science");
            b.sync();
            assertThat(b.sessions.get(dev.sid())).isNotNull();

            // A validly signed token whose session was never stored, issued before B's last sync: refused.
            SignedInUser ghost = new SignedInUser("ghost@corp.example", "ghost@corp.example", List.of(), "platform", "acme", Map.of());
            String forged = a.tokens.issue(new dev.sluice.signin.session.Session("no-such-session", ghost, null, clock.instant(),
                    "x", clock.instant().plus(Duration.ofDays(1)), 0));
            clock.advance(Duration.ofSeconds(10));
            b.sync();
            assertThat(b.resolve(forged)).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void keysRotateOnceAcrossReplicasAndEarlierTokensStayValid(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            assertThat(b.keys.kids()).isEqualTo(a.keys.kids()).hasSize(1);
            clock.advance(Replica.ROTATION.minus(Duration.ofSeconds(40)));
            a.sync();
            assertThat(a.keys.kids()).as("not due yet").hasSize(1);
            Replica.Signed early = a.signIn("dev@corp.example", "eng");
            clock.advance(Duration.ofSeconds(20));
            a.sync();
            b.sync(); // both found the next key due; it is written once
            assertThat(a.keys.kids()).hasSize(2);
            assertThat(b.keys.kids()).isEqualTo(a.keys.kids());
            String oldKid = a.keys.kids().get(1);
            assertThat(a.keys.current().kid()).as("the new key is published ahead of use").isEqualTo(oldKid);
            clock.advance(Duration.ofSeconds(30));
            assertThat(a.keys.current().kid()).isNotEqualTo(oldKid);
            Replica.Signed late = a.signIn("dev2@corp.example", "eng");
            assertThat(b.resolve(late.token())).as("signed with the new key, verified by the other replica").isNotNull();
            assertThat(b.resolve(early.token())).as("signed with the old key before the rotation").isNotNull();
            clock.advance(Replica.TOKEN_LIFETIME.plusMinutes(1));
            a.sync();
            b.sync();
            assertThat(b.keys.kids()).as("the old key goes once no token it signed can be live").doesNotContain(oldKid);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void refreshTokensWorkOnceAcrossReplicasAndRevokingADeveloperEndsEverySession(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            Replica.Signed laptop = a.signIn("dev@corp.example", "eng");
            Replica.Signed desktop = b.signIn("dev@corp.example", "eng");
            SessionStore.Issued renewed = a.sessions.refresh(laptop.refresh());
            assertThat(renewed).isNotNull();
            SessionStore.Issued again = b.sessions.refresh(renewed.refreshToken());
            assertThat(again).as("the rotated token, on the other replica").isNotNull();
            clock.advance(Replica.REUSE_GRACE.plusSeconds(1));
            assertThat(a.sessions.refresh(renewed.refreshToken())).as("used on the other replica").isNull();
            a.sync();
            b.sync();
            assertThat(b.sessions.revokeUser("dev@corp.example")).as("the desktop's: the laptop's ended on reuse").isEqualTo(1);
            a.sync();
            assertThat(a.resolve(laptop.token())).isNull();
            assertThat(a.resolve(desktop.token())).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void theOldestSessionGoesPastThePerUserLimitAndExpiredRowsAreSwept(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock, 2)) {
            Replica.Signed first = a.signIn("dev@corp.example", "eng");
            clock.advance(Duration.ofSeconds(1));
            Replica.Signed second = a.signIn("dev@corp.example", "eng");
            clock.advance(Duration.ofSeconds(1));
            Replica.Signed third = a.signIn("dev@corp.example", "eng");
            assertThat(a.resolve(first.token())).isNull();
            assertThat(a.resolve(second.token())).isNotNull();
            assertThat(a.resolve(third.token())).isNotNull();
            clock.advance(Duration.ofDays(15));
            a.sync();
            assertThat(a.sessions.size()).isZero();
            assertThat(a.sessions.sweep()).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRotatedRefreshTokenPresentedAgainRevokesTheWholeSession(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            Replica.Signed dev = a.signIn("dev@corp.example", "eng");
            SessionStore.Issued thief = a.sessions.refresh(dev.refresh());
            assertThat(thief).as("whoever refreshes first rotates the token").isNotNull();
            clock.advance(Replica.REUSE_GRACE.plusSeconds(1));
            assertThat(a.sessions.refresh(dev.refresh())).as("the rotated token, past the reuse grace").isNull();
            assertThat(a.resolve(a.tokens.issue(thief.session()))).as("the session ends on reuse").isNull();
            assertThat(a.sessions.refresh(thief.refreshToken())).as("the other holder's refresh ends too").isNull();
            b.sync();
            assertThat(b.resolve(dev.token())).as("every replica learns of it").isNull();
            assertThat(a.sessions.refresh("never-issued")).as("an unknown token is only refused").isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aRotatedTokenPresentedAgainWithinTheGraceGetsTheSameSuccessorNotARevocation(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            Replica.Signed dev = a.signIn("dev@corp.example", "eng");
            // Two Claude Code processes read one credentials file and refresh at once, on two replicas.
            SessionStore.Issued first = a.sessions.refresh(dev.refresh());
            clock.advance(Duration.ofSeconds(5));
            SessionStore.Issued second = b.sessions.refresh(dev.refresh());
            assertThat(second).as("the slower process is not signed out").isNotNull();
            assertThat(second.refreshToken()).as("both hold one token").isEqualTo(first.refreshToken());
            assertThat(a.resolve(a.tokens.issue(second.session()))).as("the session lives on").isNotNull();
            SessionStore.Issued next = b.sessions.refresh(second.refreshToken());
            assertThat(next).as("the shared token rotates as usual").isNotNull();
            assertThat(a.sessions.refresh(dev.refresh())).as("the first token, its successor rotated since: a reuse").isNull();
            assertThat(a.resolve(a.tokens.issue(next.session()))).as("and that ends the session").isNull();
        }
        try (Replica a = new Replica(settings, clock)) {
            Replica.Signed dev = a.signIn("dev2@corp.example", "eng");
            SessionStore.Issued first = a.sessions.refresh(dev.refresh());
            clock.advance(Replica.REUSE_GRACE.plusSeconds(1));
            assertThat(a.sessions.refresh(dev.refresh())).as("after the grace, a replay").isNull();
            assertThat(a.sessions.refresh(first.refreshToken())).as("which ended the session").isNull();
        }
    }

    @org.junit.jupiter.api.Test
    void aDeveloperWithManyLongGroupsGetsATokenTheGatewayAccepts() {
        try (Replica a = new Replica(StoreSettings.sqlite(data), clock)) {
            List<String> groups = new java.util.ArrayList<>();
            for (int i = 0; i < 99; i++) {
                groups.add(("app-claude-code-users-prod-" + i + "-").repeat(6).substring(0, 128));
            }
            groups.add("contractors"); // the one the model policy names, listed last
            SignedInUser u = new SignedInUser("big@corp.example", "big@corp.example", groups, "platform", "acme", Map.of());
            SessionStore.Issued issued = a.sessions.open(u, "claude_code");
            dev.sluice.signin.session.SessionTokens tokens = new dev.sluice.signin.session.SessionTokens(a.keys, clock,
                    "https://gw.corp.example", Replica.TOKEN_LIFETIME, null, java.util.Set.of("contractors")::contains);
            String token = tokens.issue(issued.session());
            dev.sluice.signin.session.SessionTokens.Verified v = tokens.verified(token);
            assertThat(v).as("the gateway accepts the token it issued (%d characters)", token.length()).isNotNull();
            assertThat(v.claimed().groups()).as("the groups policy names stay in the token").containsExactly("contractors");
            assertThat(a.sessions.groups("big@corp.example")).as("the session keeps every group").hasSize(100);
        }
    }

    @org.junit.jupiter.api.Test
    void tokensAcceptedOnTheirClaimsAloneAreBoundedInTime() throws Exception {
        try (Replica a = new Replica(StoreSettings.sqlite(data), clock)) {
            java.time.Instant now = clock.instant();
            assertThat(a.resolve(forge(a, now, now.plus(Replica.TOKEN_LIFETIME), null))).as("a well-formed token (control)").isNotNull();
            assertThat(a.resolve(forge(a, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)).plus(Replica.TOKEN_LIFETIME), null)))
                    .as("issued a day in the future").isNull();
            assertThat(a.resolve(forge(a, now, now.plus(Duration.ofDays(3650)), null))).as("valid for ten years").isNull();
            assertThat(a.resolve(forge(a, now, now.plus(Replica.TOKEN_LIFETIME), now.plus(Duration.ofMinutes(10)))))
                    .as("not valid before ten minutes from now").isNull();
        }
    }

    /** A token signed with the replica's own key, for a session nobody opened, with the given times. */
    private static String forge(Replica r, java.time.Instant iat, java.time.Instant exp, java.time.Instant nbf) throws Exception {
        var key = r.keys.current();
        var claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("https://gw.corp.example")
                .audience(dev.sluice.signin.session.SessionTokens.AUDIENCE).subject("eve@corp.example")
                .issueTime(java.util.Date.from(iat)).expirationTime(java.util.Date.from(exp))
                .notBeforeTime(nbf == null ? null : java.util.Date.from(nbf))
                .claim("sid", "made-up-" + iat.toEpochMilli() + "-" + exp.toEpochMilli()).claim("email", "eve@corp.example")
                .claim("groups", List.of()).claim("team", "platform").claim("org", "acme").build();
        var jwt = new com.nimbusds.jwt.SignedJWT(new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.HS256)
                .keyID(key.kid()).build(), claims);
        jwt.sign(key.signer());
        return jwt.serialize();
    }
}
