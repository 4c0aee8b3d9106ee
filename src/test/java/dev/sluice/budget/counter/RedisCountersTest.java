package dev.sluice.budget.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RedisCountersTest extends CounterContract {
    private static RedisServer redis;
    private static Vertx vertx;
    private RedisCounters store;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        vertx.close().await();
        redis.close();
    }

    @BeforeEach
    void fresh() throws Exception {
        redis.cli("FLUSHALL");
        store = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(2));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    CounterStore store() {
        return store;
    }

    @Test
    void a_flushed_script_cache_is_reloaded_transparently() throws Exception {
        LineSpec l = line("noscript", 100, 1, 1);
        assertThat(reserve("a/1", T0, l).admitted()).isTrue();
        redis.cli("SCRIPT", "FLUSH");
        assertThat(reserve("b/1", T0, l).admitted()).isTrue();
        assertThat(store.read("t", T0, List.of(l)).await().getFirst().reserved()).isEqualTo(2);
    }

    @Test
    void every_key_carries_the_tenant_hash_tag() throws Exception {
        LineSpec l = line("tagged", 100, 1, 1);
        reserve("k/1", T0, l);
        settle("k/1", T0, l, 1);
        store.claim("t", "c", Duration.ofMinutes(1)).await();
        for (String key : redis.cli("KEYS", "*").split("\n")) {
            assertThat(key).startsWith("sluice:b:{t}:");
        }
    }

    @Test
    void rebuild_is_claimed_by_one_caller_until_marked() {
        assertThat(store.needsRebuild().await()).isTrue();
        assertThat(store.needsRebuild().await()).isFalse(); // another replica is rebuilding
        store.markRebuilt().await();
        assertThat(store.needsRebuild().await()).isFalse();
    }

    @Test
    void settles_of_many_requests_share_script_calls_and_bill_exactly() throws Exception {
        LineSpec org = line("batch-org", 1_000_000, 10, 100);
        List<LineSpec> users = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            users.add(line("batch-user-" + i, 1_000_000, 10, 100));
        }
        int n = 100;
        for (int i = 0; i < n; i++) {
            reserve("m" + i + "/1", T0, org, users.get(i % 5));
        }
        redis.cli("CONFIG", "RESETSTAT");
        // Redis holds scripts until UNPAUSE, so the first settle's call is still out while the other 99 arrive, however
        // slowly this thread runs: they must wait and go together when it is answered (a busy machine once let Redis
        // answer between two settles here, and each went alone).
        redis.cli("CLIENT", "PAUSE", "10000", "WRITE");
        List<Future<SettleResult>> all = new ArrayList<>();
        long billed = 0;
        try {
            for (int i = 0; i < n; i++) {
                long amount = 1 + i;
                billed += amount;
                LineSpec u = users.get(i % 5);
                all.add(store.settle(new SettleCall("t", "m" + i + "/1", T0, List.of(org, u), List.of(amount, amount))));
            }
        } finally {
            redis.cli("CLIENT", "UNPAUSE");
        }
        Future.all(all).await();
        long calls = evalshaCalls();
        assertThat(calls).as("script calls for %d settles", n).isBetween(1L, (long) (n / SettleBatcher.MAX_BATCH + 3));
        // each settle's reply is its own: after - before is its amount, and the org line's replies chain in order
        long expectBefore = 0;
        for (int i = 0; i < n; i++) {
            SettleResult r = all.get(i).result();
            assertThat(r.duplicate()).isFalse();
            assertThat(r.before().getFirst()).isEqualTo(expectBefore);
            assertThat(r.after().getFirst()).isEqualTo(expectBefore + 1 + i);
            expectBefore = r.after().getFirst();
        }
        LineState o = store.read("t", T0, List.of(org)).await().getFirst();
        assertThat(o).extracting(LineState::settled, LineState::reserved, LineState::slack).containsExactly(billed, 0L, 0L);
        long perUser = 0;
        for (int i = 0; i < n; i += 5) {
            perUser += 1 + i;
        }
        assertThat(store.read("t", T0, List.of(users.getFirst())).await().getFirst().settled()).isEqualTo(perUser);
    }

    @Test
    void a_settle_repeated_inside_one_batch_counts_once() {
        LineSpec l = line("batch-dup", 1000, 50, 200);
        reserve("twice/1", T0, l);
        Future<SettleResult> a = store.settle(new SettleCall("t", "twice/1", T0, List.of(l), List.of(70L)));
        Future<SettleResult> b = store.settle(new SettleCall("t", "twice/1", T0, List.of(l), List.of(70L)));
        Future.all(a, b).await();
        assertThat(a.result().duplicate()).isFalse();
        assertThat(b.result().duplicate()).isTrue();
        assertThat(b.result().after()).containsExactly(70L);
        assertThat(store.read("t", T0, List.of(l)).await().getFirst())
                .extracting(LineState::settled, LineState::reserved, LineState::slack).containsExactly(70L, 0L, 0L);
    }

    @Test
    void settles_of_several_tenants_each_go_to_their_own_hash_slot() throws Exception {
        LineSpec a = new LineSpec("sluice:b:{a}:l:x", 1000, 1, 1, 0, 0, DAY, 0);
        LineSpec b = new LineSpec("sluice:b:{b}:l:x", 1000, 1, 1, 0, 0, DAY, 0);
        Future<SettleResult> fa = store.settle(new SettleCall("a", "q/1", T0, List.of(a), List.of(3L)));
        Future<SettleResult> fb = store.settle(new SettleCall("b", "q/1", T0, List.of(b), List.of(4L)));
        Future.all(fa, fb).await();
        assertThat(store.read("a", T0, List.of(a)).await().getFirst().settled()).isEqualTo(3);
        assertThat(store.read("b", T0, List.of(b)).await().getFirst().settled()).isEqualTo(4);
        assertThat(redis.cli("EXISTS", "sluice:b:{a}:done:q/1", "sluice:b:{b}:done:q/1").strip()).isEqualTo("2");
    }

    @Test
    void closing_sends_the_settles_still_waiting() throws Exception {
        LineSpec l = line("batch-close", 1000, 50, 200);
        reserve("last/1", T0, l);
        RedisCounters slow = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(2), Duration.ofMinutes(10), 32);
        Future<SettleResult> pending = slow.settle(new SettleCall("t", "last/1", T0, List.of(l), List.of(25L)));
        Thread.sleep(50);
        assertThat(pending.isComplete()).as("still waiting for its window").isFalse();
        slow.close();
        assertThat(pending.isComplete()).isTrue();
        assertThat(pending.result().after()).containsExactly(25L);
        assertThat(store.read("t", T0, List.of(l)).await().getFirst())
                .extracting(LineState::settled, LineState::reserved, LineState::slack).containsExactly(25L, 0L, 0L);
    }

    @Test
    void a_batch_of_one_sends_every_settle_alone() throws Exception {
        RedisCounters alone = new RedisCounters(vertx, redis.url(), Duration.ofSeconds(2), Duration.ZERO, 1);
        LineSpec l = line("alone", 1_000_000, 1, 1);
        redis.cli("CONFIG", "RESETSTAT");
        List<Future<SettleResult>> all = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            all.add(alone.settle(new SettleCall("t", "one" + i + "/1", T0, List.of(l), List.of(2L))));
        }
        Future.all(all).await();
        alone.close();
        assertThat(evalshaCalls()).isEqualTo(10);
        assertThat(store.read("t", T0, List.of(l)).await().getFirst().settled()).isEqualTo(20);
    }

    private static long evalshaCalls() throws Exception {
        for (String l : redis.cli("INFO", "commandstats").split("\n")) {
            if (l.startsWith("cmdstat_evalsha:")) {
                return Long.parseLong(l.substring(l.indexOf("calls=") + 6, l.indexOf(',')));
            }
        }
        return 0;
    }
}
