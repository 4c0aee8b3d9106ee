package dev.sluice.admin.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions end at their lifetime and at sign-out, are bounded in number, and only their digests are kept. */
class DashboardSessionsTest {
    /** A clock the test moves. */
    private static final class Hands extends Clock {
        Instant now = Instant.parse("2026-12-01T09:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void aSessionEndsAtItsLifetimeWhateverItsUse() {
        Hands clock = new Hands();
        DashboardSessions sessions = new DashboardSessions(clock);
        String token = sessions.open("ops");
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.find(token).who()).isEqualTo("ops");
        clock.now = clock.now.plus(DashboardSessions.LIFETIME).minusSeconds(1);
        assertThat(sessions.find(token)).as("used all along, still ends on time").isNotNull();
        clock.now = clock.now.plusSeconds(1);
        assertThat(sessions.find(token)).isNull();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void signOutUnknownAndMalformedTokens() {
        DashboardSessions sessions = new DashboardSessions(new Hands());
        String token = sessions.open("ops");
        assertThat(sessions.find(null)).isNull();
        assertThat(sessions.find("")).isNull();
        assertThat(sessions.find(token + "x")).isNull();
        assertThat(sessions.find(token.substring(1) + "A")).isNull();
        sessions.close(token);
        assertThat(sessions.find(token)).isNull();
        sessions.close(null); // nothing to end
    }

    @Test
    void atTheBoundTheOldestSessionGoes() {
        Hands clock = new Hands();
        DashboardSessions sessions = new DashboardSessions(clock);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < DashboardSessions.MAX_SESSIONS; i++) {
            tokens.add(sessions.open("ops-" + i % 20));
            clock.now = clock.now.plus(Duration.ofMillis(1));
        }
        String newest = sessions.open("viewer");
        assertThat(sessions.size()).isEqualTo(DashboardSessions.MAX_SESSIONS);
        assertThat(sessions.find(tokens.getFirst())).isNull();
        assertThat(sessions.find(tokens.get(1))).isNotNull();
        assertThat(sessions.find(newest).who()).isEqualTo("viewer");
    }

    @Test
    void oneCredentialSigningInOverAndOverEndsOnlyItsOwnOlderSessions() {
        Hands clock = new Hands();
        DashboardSessions sessions = new DashboardSessions(clock);
        String other = sessions.open("ops");
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < DashboardSessions.MAX_SESSIONS; i++) {
            clock.now = clock.now.plus(Duration.ofMillis(1));
            mine.add(sessions.open("viewer"));
        }
        assertThat(sessions.find(other).who()).isEqualTo("ops");
        assertThat(sessions.size()).isEqualTo(DashboardSessions.PER_CREDENTIAL + 1);
        assertThat(sessions.find(mine.get(mine.size() - DashboardSessions.PER_CREDENTIAL - 1))).isNull();
        assertThat(sessions.find(mine.get(mine.size() - DashboardSessions.PER_CREDENTIAL))).isNotNull();
    }
}
