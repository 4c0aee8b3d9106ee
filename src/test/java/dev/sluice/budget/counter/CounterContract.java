package dev.sluice.budget.counter;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every counter store must do alike; run against memory and a real Redis. */
abstract class CounterContract {
    static final long DAY = 86_400_000L;
    static final long T0 = 1_800_000_000_000L;

    abstract CounterStore store();

    static LineSpec line(String key, long cap, long e, long w) {
        return new LineSpec("sluice:b:{t}:l:" + key, cap, e, w, 0, 0, DAY, 0);
    }

    ReserveResult reserve(String id, long now, LineSpec... lines) {
        return store().reserve(new ReserveCall("t", id, now, 60_000, List.of(lines))).await();
    }

    SettleResult settle(String id, long now, LineSpec l, long amount) {
        return store().settle(new SettleCall("t", id, now, List.of(l), List.of(amount))).await();
    }

    @Test
    void far_from_the_line_reserves_the_estimate_and_near_it_the_worst_case() {
        LineSpec far = line("a", 1000, 10, 100);
        ReserveResult r = reserve("r1/1", T0, far);
        assertThat(r.admitted()).isTrue();
        assertThat(r.states().getFirst()).extracting(LineState::reserved, LineState::slack).containsExactly(10L, 90L);
        // exposure is now 100; 100 + 950 > 1000, so the next reserves its full bound
        ReserveResult near = reserve("r2/1", T0, line("a", 1000, 10, 950));
        assertThat(near.admitted()).isTrue();
        assertThat(near.states().getFirst()).extracting(LineState::reserved, LineState::slack).containsExactly(960L, 90L);
        // exposure 1050 >= cap: in flight could cross, refused for now
        ReserveResult third = reserve("r3/1", T0, line("a", 1000, 1, 1));
        assertThat(third.admitted()).isFalse();
        assertThat(third.refusal()).isEqualTo(Refusal.IN_FLIGHT);
        settle("r1/1", T0, far, 20);
        settle("r2/1", T0, far, 30);
        ReserveResult after = reserve("r3/1", T0, line("a", 1000, 1, 1));
        assertThat(after.admitted()).isTrue();
        assertThat(after.states().getFirst().settled()).isEqualTo(50);
    }

    @Test
    void settled_spend_at_the_line_is_exhausted() {
        LineSpec l = line("b", 100, 5, 5);
        reserve("x/1", T0, l);
        settle("x/1", T0, l, 100);
        ReserveResult r = reserve("y/1", T0, l);
        assertThat(r.admitted()).isFalse();
        assertThat(r.refusal()).isEqualTo(Refusal.EXHAUSTED);
        assertThat(r.refusedAt()).isZero();
    }

    @Test
    void settling_twice_counts_once_and_releases_the_reservation() {
        LineSpec l = line("c", 1000, 50, 200);
        reserve("s/1", T0, l);
        SettleResult first = settle("s/1", T0, l, 70);
        SettleResult again = settle("s/1", T0, l, 70);
        assertThat(first.duplicate()).isFalse();
        assertThat(first.after()).containsExactly(70L);
        assertThat(again.duplicate()).isTrue();
        LineState s = store().read("t", T0, List.of(l)).await().getFirst();
        assertThat(s).extracting(LineState::settled, LineState::reserved, LineState::slack).containsExactly(70L, 0L, 0L);
        // a reserve under an id already settled holds nothing
        ReserveResult late = reserve("s/1", T0, l);
        assertThat(late.duplicate()).isTrue();
        assertThat(store().read("t", T0, List.of(l)).await().getFirst().reserved()).isZero();
    }

    @Test
    void reserving_again_under_the_same_id_replaces_the_reservation() {
        LineSpec l = line("d", 1000, 50, 200);
        reserve("same/1", T0, l);
        reserve("same/1", T0, l.withAmounts(10, 20));
        LineState s = store().read("t", T0, List.of(l)).await().getFirst();
        assertThat(s).extracting(LineState::reserved, LineState::slack).containsExactly(10L, 10L);
    }

    @Test
    void an_abandoned_reservation_is_released_after_its_time_to_live() {
        LineSpec l = line("e", 100, 60, 60);
        reserve("gone/1", T0, l);
        assertThat(reserve("other/1", T0, l.withAmounts(50, 50)).admitted()).isTrue(); // 60 < 100: admitted with w
        assertThat(reserve("third/1", T0 + 1, l.withAmounts(1, 1)).refusal()).isEqualTo(Refusal.IN_FLIGHT);
        // both expire after 60 s; the next reserve sweeps them
        ReserveResult later = reserve("late/1", T0 + 61_000, l.withAmounts(1, 1));
        assertThat(later.admitted()).isTrue();
        assertThat(later.states().getFirst()).extracting(LineState::reserved, LineState::slack).containsExactly(1L, 0L);
        // the abandoned request settling late still counts its spend, once
        settle("gone/1", T0 + 62_000, l, 40);
        settle("gone/1", T0 + 62_000, l, 40);
        assertThat(store().read("t", T0 + 62_000, List.of(l)).await().getFirst().settled()).isEqualTo(40);
    }

    @Test
    void lines_reserve_all_or_none() {
        LineSpec ok = line("f1", 1000, 10, 10);
        LineSpec full = line("f2", 5, 10, 10);
        settle("fill/1", T0, full, 5);
        ReserveResult r = reserve("both/1", T0, ok, new LineSpec(full.key(), 5, 10, 10, 0, 0, DAY, 1));
        assertThat(r.admitted()).isFalse();
        assertThat(r.refusedAt()).isEqualTo(1);
        assertThat(store().read("t", T0, List.of(ok)).await().getFirst().reserved()).isZero();
    }

    @Test
    void alternatives_in_a_group_charge_the_first_that_admits() {
        LineSpec share = new LineSpec("sluice:b:{t}:l:share", 100, 10, 10, 0, 0, DAY, 0);
        LineSpec overflow = new LineSpec("sluice:b:{t}:l:overflow", 300, 10, 10, 0, 0, DAY, 0);
        settle("used/1", T0, share, 100);
        ReserveResult r = reserve("p/1", T0, share, overflow);
        assertThat(r.admitted()).isTrue();
        assertThat(r.states()).extracting(LineState::charged).containsExactly(false, true);
        assertThat(r.states().get(1).reserved()).isEqualTo(10);
    }

    @Test
    void a_rolling_window_forgets_old_spend_bucket_by_bucket() {
        long hour = 3_600_000L;
        LineSpec l = new LineSpec("sluice:b:{t}:l:roll", 100, 1, 1, hour, 24, 2 * DAY, 0);
        long start = T0 - Math.floorMod(T0, hour);
        settle("old/1", start, l, 60);
        settle("new/1", start + 10 * hour, l, 30);
        assertThat(store().read("t", start + 10 * hour, List.of(l)).await().getFirst().settled()).isEqualTo(90);
        LineState atReset = store().read("t", start + 23 * hour, List.of(l)).await().getFirst();
        assertThat(atReset.settled()).isEqualTo(90);
        assertThat(atReset.resetsAtMillis()).isEqualTo(start + 24 * hour);
        assertThat(store().read("t", start + 24 * hour, List.of(l)).await().getFirst().settled()).isEqualTo(30);
        assertThat(store().read("t", start + 40 * hour, List.of(l)).await().getFirst().settled()).isZero();
    }

    @Test
    void seeding_adds_rebuilt_spend_inside_the_window_only() {
        long hour = 3_600_000L;
        long now = T0 - Math.floorMod(T0, hour);
        long cur = now / hour;
        LineSpec rolling = new LineSpec("sluice:b:{t}:l:seeded", -1, 0, 0, hour, 24, DAY, 0);
        store().seed("t", now, rolling, Map.of(cur - 30, 500L, cur - 2, 7L, cur, 3L)).await();
        assertThat(store().read("t", now, List.of(rolling)).await().getFirst().settled()).isEqualTo(10);
        LineSpec calendar = line("seeded-cal", -1, 0, 0);
        store().seed("t", now, calendar, Map.of(0L, 42L)).await();
        assertThat(store().read("t", now, List.of(calendar)).await().getFirst().settled()).isEqualTo(42);
    }

    @Test
    void a_claim_is_granted_once() {
        assertThat(store().claim("t", "alert:x:75", Duration.ofMinutes(5)).await()).isTrue();
        assertThat(store().claim("t", "alert:x:75", Duration.ofMinutes(5)).await()).isFalse();
        assertThat(store().writeMapOnce("t", "pool:x", Map.of("ana", 5L), Duration.ofMinutes(5)).await()).isTrue();
        assertThat(store().writeMapOnce("t", "pool:x", Map.of("ana", 9L), Duration.ofMinutes(5)).await()).isFalse();
        assertThat(store().readMap("t", "pool:x").await()).containsEntry("ana", 5L);
    }
}
