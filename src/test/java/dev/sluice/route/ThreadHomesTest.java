package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Thread homes are found by the key they were served to only, and one key's many threads cannot push out another's. */
class ThreadHomesTest {
    private static final StickyTable.Spot HOME = new StickyTable.Spot("sim", "k1");

    @Test
    void aHomeIsFoundForTheKeyItWasServedToOnly() {
        ThreadHomes homes = new ThreadHomes(100, Duration.ofHours(1));
        homes.served("key-a", "msg_1", HOME);
        assertThat(homes.get("key-a", "msg_1")).isEqualTo(HOME);
        assertThat(homes.get("key-b", "msg_1")).isNull();
        assertThat(homes.get(null, "msg_1")).isNull();
    }

    @Test
    void oneKeysFloodOfThreadsGivesUpItsOwnOldestNotAnotherKeys() {
        ThreadHomes homes = new ThreadHomes(1_000, Duration.ofHours(1));
        for (int i = 0; i < 20; i++) {
            homes.served("victim", "msg_v" + i, HOME);
        }
        for (int i = 0; i < 50_000; i++) {
            homes.served("flood", "msg_f" + i, HOME);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(homes.get("victim", "msg_v" + i)).as("victim's thread " + i).isEqualTo(HOME);
        }
        // The flooding key keeps its newest, at most its share of the table.
        assertThat(homes.get("flood", "msg_f49999")).isEqualTo(HOME);
        assertThat(homes.get("flood", "msg_f0")).isNull();
        assertThat(homes.size()).isLessThanOrEqualTo(1_000);
    }

    @Test
    void aContinuedAnswerIsForgotten() {
        ThreadHomes homes = new ThreadHomes(100, Duration.ofHours(1));
        homes.served("key-a", "msg_1", HOME);
        homes.continued("key-a", "msg_1");
        assertThat(homes.get("key-a", "msg_1")).isNull();
        assertThat(homes.size()).isZero();
    }
}
