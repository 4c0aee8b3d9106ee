package dev.sluice.budget.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    @Test
    void waiting_teams_share_the_slot_by_weight_and_a_burst_cannot_starve_another_team() throws Exception {
        FairQueue q = new FairQueue(vertx, 1, 100, Duration.ofSeconds(30), Map.of("pay", 2, "search", 1));
        FairQueue.Permit held = q.acquire("pay").await();
        List<String> served = new CopyOnWriteArrayList<>();
        BlockingQueue<FairQueue.Permit> granted = new LinkedBlockingQueue<>();
        for (int i = 0; i < 12; i++) {
            q.acquire("pay").onSuccess(p -> {
                served.add("pay");
                granted.add(p);
            });
        }
        for (int i = 0; i < 6; i++) {
            q.acquire("search").onSuccess(p -> {
                served.add("search");
                granted.add(p);
            });
        }
        assertThat(q.waiting()).isEqualTo(18);
        held.release();
        for (int i = 0; i < 9; i++) {
            FairQueue.Permit p = granted.poll(5, TimeUnit.SECONDS); // one at a time: the slot goes to the next in fair order
            assertThat(p).isNotNull();
            p.release();
        }
        List<String> firstNine = served.subList(0, 9);
        assertThat(firstNine.stream().filter("pay"::equals).count()).isEqualTo(6);
        assertThat(firstNine.stream().filter("search"::equals).count()).isEqualTo(3);
    }

    @Test
    void a_full_queue_and_a_long_wait_are_clear_retryable_429s() {
        FairQueue q = new FairQueue(vertx, 1, 1, Duration.ofMillis(100), Map.of());
        q.acquire("a").await();
        Future<FairQueue.Permit> waiting = q.acquire("a");
        Future<FairQueue.Permit> full = q.acquire("b");
        assertThat(full.failed()).isTrue();
        FairQueue.Rejected r = (FairQueue.Rejected) full.cause();
        assertThat(r.toApiError().status()).isEqualTo(429);
        assertThat(r.toApiError().type()).isEqualTo("rate_limit_error");
        assertThat(r.toApiError().shouldRetry()).isTrue();
        assertThat(r.getMessage()).contains("upstream account busy: 1 requests already waiting");
        Throwable timedOut = waiting.transform(ar -> Future.succeededFuture(ar.cause())).await();
        assertThat(timedOut).isInstanceOf(FairQueue.Rejected.class).hasMessageContaining("waited 0 s");
        assertThat(q.waiting()).isZero();
    }

}
