package dev.sluice.signin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.identity.TestClock;
import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.session.SignedInUser;
import dev.sluice.signin.verify.LoginFlows;
import dev.sluice.store.PostgresForTests;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Device grants and browser sign-ins in the database: the device request, the verification page,
 * the IdP's redirect and the polls may each reach a different replica, and an approval is handed out
 * exactly once even to polls racing on two replicas.
 */
class DurableGrantsTest {
    static final SignedInUser DEV = new SignedInUser("dev@corp.example", "Dev@Corp.Example", List.of("eng"), "platform", "acme",
            Map.of("cost_center", "42"));
    @TempDir
    Path data;
    final TestClock clock = new TestClock(Instant.parse("2026-11-02T09:00:00Z"));

    StoreSettings store(String kind) {
        return kind.equals("postgres") ? PostgresForTests.freshDatabase(data) : StoreSettings.sqlite(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aCodeCreatedOnOneReplicaIsApprovedOnAnotherAndCollectedOnce(String kind) throws Exception {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            DeviceGrants.Created created = a.grants.create("claude_code");
            assertThat(a.grants.poll(created.deviceCode()).outcome()).isEqualTo(DeviceGrants.Outcome.PENDING);
            clock.advance(Duration.ofSeconds(1));
            assertThat(b.grants.poll(created.deviceCode()).outcome()).as("faster than the interval, on any replica")
                    .isEqualTo(DeviceGrants.Outcome.SLOW_DOWN);
            DeviceGrants.Grant g = b.grants.pending(created.userCode().toLowerCase().replace("-", " "));
            assertThat(g).isNotNull();
            assertThat(g.surface()).isEqualTo("claude_code");
            assertThat(b.grants.approve(g, DEV)).isTrue();
            assertThat(a.grants.approve(g, DEV)).as("settled once").isFalse();

            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<DeviceGrants.Poll> p1 = pool.submit(() -> a.grants.poll(created.deviceCode()));
                Future<DeviceGrants.Poll> p2 = pool.submit(() -> b.grants.poll(created.deviceCode()));
                List<DeviceGrants.Outcome> outcomes = List.of(p1.get().outcome(), p2.get().outcome());
                assertThat(outcomes).containsExactlyInAnyOrder(DeviceGrants.Outcome.APPROVED, DeviceGrants.Outcome.INVALID);
                DeviceGrants.Poll won = p1.get().outcome() == DeviceGrants.Outcome.APPROVED ? p1.get() : p2.get();
                assertThat(won.user()).isEqualTo(DEV);
                assertThat(won.surface()).isEqualTo("claude_code");
            } finally {
                pool.shutdownNow();
            }
            assertThat(b.grants.pending(created.userCode())).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void deniedAndExpiredCodesAreToldApartThenSwept(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock)) {
            DeviceGrants.Created denied = a.grants.create(null);
            DeviceGrants.Created expired = a.grants.create(null);
            assertThat(a.grants.deny(a.grants.pending(denied.userCode()))).isTrue();
            assertThat(a.grants.poll(denied.deviceCode()).outcome()).isEqualTo(DeviceGrants.Outcome.DENIED);
            assertThat(a.grants.poll(denied.deviceCode()).outcome()).isEqualTo(DeviceGrants.Outcome.INVALID);
            clock.advance(Duration.ofMinutes(11));
            assertThat(a.grants.poll(expired.deviceCode()).outcome()).isEqualTo(DeviceGrants.Outcome.EXPIRED);
            assertThat(a.grants.pending(expired.userCode())).isNull();
            assertThat(a.grants.poll("x".repeat(200)).outcome()).isEqualTo(DeviceGrants.Outcome.INVALID);
            clock.advance(Duration.ofMinutes(10));
            assertThat(a.grants.sweep()).isEqualTo(1);
            assertThat(a.grants.poll(expired.deviceCode()).outcome()).isEqualTo(DeviceGrants.Outcome.INVALID);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgres"})
    void aBrowserSignInStartedOnOneReplicaFinishesOnAnotherOnce(String kind) {
        StoreSettings settings = store(kind);
        try (Replica a = new Replica(settings, clock); Replica b = new Replica(settings, clock)) {
            LoginFlows.Flow started = a.flows.start("BCDF-GHJK");
            LoginFlows.Flow back = b.flows.finish(started.state());
            assertThat(back).isEqualTo(started);
            assertThat(back.challenge()).isEqualTo(started.challenge());
            assertThat(a.flows.finish(started.state())).as("a state works once").isNull();
            LoginFlows.Flow late = a.flows.start("BCDF-GHJK");
            clock.advance(Duration.ofMinutes(11));
            assertThat(b.flows.finish(late.state())).isNull();
            assertThat(b.flows.finish("y".repeat(100))).isNull();
            LoginFlows.Flow old = a.flows.start("BCDF-GHJK");
            clock.advance(Duration.ofMinutes(11));
            assertThat(a.flows.sweep()).isEqualTo(1);
            assertThat(b.flows.finish(old.state())).isNull();
        }
    }
}
