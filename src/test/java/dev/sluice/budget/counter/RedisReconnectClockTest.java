package dev.sluice.budget.counter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Attack round 34 (time): after Redis comes back, the counters' link reconnects after its half-second pause, whatever
 * its clock did since the failure. The pause was measured on the wall clock; here the clock the link is given steps
 * back an hour, as the wall clock does under NTP.
 */
class RedisReconnectClockTest {
    @Test
    void a_clock_stepped_back_after_a_failure_does_not_hold_off_the_reconnect() throws Exception {
        AtomicLong clock = new AtomicLong(1_000_000_000L);
        Vertx vertx = Vertx.vertx();
        RedisServer redis = RedisServer.start();
        int port = redis.port();
        RedisLink link = new RedisLink(vertx, redis.url(), Duration.ofSeconds(2), clock::get);
        try {
            assertThat(link.send(Request.cmd(Command.PING)).await().toString()).isEqualTo("PONG");
            redis.kill();
            redis = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            boolean failed = false;
            while (!failed && System.nanoTime() < deadline) {
                try {
                    link.send(Request.cmd(Command.PING)).await();
                    Thread.sleep(20);
                } catch (Exception e) {
                    failed = true; // the connection is dropped: the pause starts now
                }
            }
            assertThat(failed).isTrue();
            redis = RedisServer.start(port);
            clock.addAndGet(-3_600_000); // the clock steps back an hour
            clock.addAndGet(600); // and the pause passes
            assertThat(link.send(Request.cmd(Command.PING)).await().toString()).as("reconnected after the pause").isEqualTo("PONG");
        } finally {
            link.close();
            if (redis != null) {
                redis.close();
            }
            vertx.close().await();
        }
    }
}
