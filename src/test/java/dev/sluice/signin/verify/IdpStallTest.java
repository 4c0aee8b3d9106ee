package dev.sluice.signin.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.identity.TestClock;
import dev.sluice.testing.StubServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An IdP that sends its response head and then trickles or stalls the body: the call fails at the
 * fetch's own time limit (Vert.x's idle timeout alone never fires on a trickle), the stalled
 * connection is dropped, and a JWKS refetch that stalled does not hold later sign-ins once the IdP
 * answers again.
 */
class IdpStallTest {
    static final String JWKS = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"k2\","
            + "\"x\":\"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4\",\"y\":\"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM\"}]}";

    Vertx vertx;
    StubServer server;
    final AtomicBoolean stall = new AtomicBoolean(true);

    @BeforeEach
    void start() throws Exception {
        server = StubServer.start((req, body) -> {
            HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "application/json");
            if (stall.get()) {
                resp.write("{\"keys\":[");
                vertx.setPeriodic(300, id -> {
                    if (resp.closed() || resp.ended()) {
                        vertx.cancelTimer(id);
                    } else {
                        resp.write(" "); // a trickle: never idle long enough for an idle timeout
                    }
                });
            } else {
                resp.end(JWKS);
            }
        });
        vertx = server.vertx(); // the stub's Vert.x also runs the client under test
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    String url() {
        return "http://127.0.0.1:" + server.port() + "/jwks";
    }

    static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aTricklingAnswerFailsAtTheFetchsTimeLimit() {
        HttpFetch http = new HttpFetch(vertx, vertx.createHttpClient(), Duration.ofSeconds(1));
        assertThatThrownBy(() -> await(http.get(url(), null))).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("no complete answer");
    }

    @Test
    void aStalledKeyRefetchDoesNotHoldLaterSignInsOnceTheIdpRecovers() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-30T15:00:00Z"));
        HttpFetch http = new HttpFetch(vertx, vertx.createHttpClient(), Duration.ofSeconds(1));
        ProviderKeys keys = new ProviderKeys(http, () -> Future.succeededFuture(url()), clock, Duration.ofSeconds(30));
        assertThatThrownBy(() -> await(keys.key("k2"))).isInstanceOf(ExecutionException.class);
        stall.set(false);
        clock.advance(ProviderKeys.RETRY_AFTER_FAILURE.plusSeconds(1)); // a failed fetch does not hold the full 30 s
        assertThat(await(keys.key("k2"))).as("the rotated key, from the recovered IdP").isNotNull();
    }
}
