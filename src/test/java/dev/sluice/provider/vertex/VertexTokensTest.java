package dev.sluice.provider.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.testing.StubServer;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Service-account tokens through Google's auth library against a loopback token endpoint that checks the
 * JWT-bearer grant for real (RS256 signature with the account's public key, audience, scope).
 */
class VertexTokensTest {
    private static Vertx vertx;
    private static StubServer server;
    private static KeyPair keys;
    private static final AtomicInteger hits = new AtomicInteger();
    private static volatile int expiresIn = 3600;
    private static volatile int status = 200;
    private static volatile long delayMillis;
    private static final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        keys = gen.generateKeyPair();
        server = StubServer.start((req, body) -> {
            hits.incrementAndGet();
            // Google's library signs for Google's token audience even when token_uri points elsewhere.
            check(body.toString(), "https://oauth2.googleapis.com/token");
            vertx.setTimer(Math.max(1, delayMillis), id -> req.response().setStatusCode(status)
                    .putHeader("content-type", "application/json")
                    .end(status == 200 ? "{\"access_token\":\"ya29.test-" + hits.get() + "\",\"expires_in\":" + expiresIn
                            + ",\"token_type\":\"Bearer\"}" : "{\"error\":\"invalid_grant\"}"));
        });
        vertx = server.vertx(); // the stub's Vert.x also runs the client under test
    }

    private static void check(String form, String audience) {
        try {
            String assertion = null;
            for (String pair : form.split("&")) {
                if (pair.startsWith("assertion=")) {
                    assertion = URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8);
                }
            }
            String[] jwt = assertion.split("\\.");
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(keys.getPublic());
            rs256.update((jwt[0] + "." + jwt[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(jwt[2]))) {
                problems.add("bad signature");
            }
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(jwt[1]));
            if (!claims.path("aud").asText().equals(audience) || !claims.path("scope").asText().contains("cloud-platform")
                    || !claims.path("iss").asText().equals("sluice@acme.iam.gserviceaccount.com")) {
                problems.add("bad claims " + claims);
            }
        } catch (Exception e) {
            problems.add(e.toString());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void reset() {
        hits.set(0);
        expiresIn = 3600;
        status = 200;
        delayMillis = 0;
        problems.clear();
    }

    private static byte[] serviceAccountJson() {
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String json = "{\"type\":\"service_account\",\"project_id\":\"acme\",\"private_key_id\":\"k1\","
                + "\"private_key\":" + Json.MAPPER.valueToTree(pem) + ",\"client_email\":\"sluice@acme.iam.gserviceaccount.com\","
                + "\"client_id\":\"1\",\"token_uri\":\"http://127.0.0.1:" + server.port() + "/token\"}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Calls token() on an event loop; returns [the token, whether the callback ran on that same context]. */
    private static Object[] onEventLoop(VertexTokens tokens) throws Exception {
        Context ctx = vertx.getOrCreateContext();
        Promise<Object[]> p = Promise.promise();
        ctx.runOnContext(v -> tokens.token(vertx).onComplete(ar -> p.complete(
                new Object[] {ar.succeeded() ? ar.result() : ar.cause(), Vertx.currentContext() == ctx})));
        return await(p.future());
    }

    @Test
    void serviceAccountTokenIsFetchedOnceAndCached() throws Exception {
        VertexTokens tokens = VertexTokens.ofCredentialsJson(serviceAccountJson(), Clock.systemUTC());
        Object[] first = onEventLoop(tokens);
        assertThat(first[0]).isEqualTo("ya29.test-1");
        assertThat(first[1]).as("answered on the caller's context").isEqualTo(true);
        assertThat(onEventLoop(tokens)[0]).isEqualTo("ya29.test-1");
        assertThat(hits.get()).isEqualTo(1);
        assertThat(problems).isEmpty();
    }

    @Test
    void concurrentCallersShareOneRefreshAndTheEventLoopNeverBlocks() throws Exception {
        delayMillis = 1_000;
        VertexTokens tokens = VertexTokens.ofCredentialsJson(serviceAccountJson(), Clock.systemUTC());
        Context ctx = vertx.getOrCreateContext();
        Promise<List<String>> all = Promise.promise();
        long[] callNanos = new long[1];
        ctx.runOnContext(v -> {
            long t0 = System.nanoTime();
            List<Future<String>> futures = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                futures.add(tokens.token(vertx));
            }
            callNanos[0] = System.nanoTime() - t0;
            Future.all(futures).onComplete(ar -> all.complete(futures.stream().map(Future::result).toList()));
        });
        assertThat(await(all.future())).containsOnly("ya29.test-1");
        assertThat(hits.get()).isEqualTo(1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(callNanos[0])).as("token() returns before the 1 s fetch").isLessThan(500);
    }

    @Test
    void aTokenNearItsExpiryIsUsedWhileTheNextIsFetched() throws Exception {
        expiresIn = 120; // inside the 5-minute refresh window, well above the 30-second floor
        VertexTokens tokens = VertexTokens.ofCredentialsJson(serviceAccountJson(), Clock.systemUTC());
        assertThat(onEventLoop(tokens)[0]).isEqualTo("ya29.test-1");
        assertThat(onEventLoop(tokens)[0]).isEqualTo("ya29.test-1"); // immediately, while a refresh starts
        long deadline = System.currentTimeMillis() + 5_000;
        while (hits.get() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(hits.get()).isEqualTo(2);
        Thread.sleep(100);
        assertThat(onEventLoop(tokens)[0]).isEqualTo("ya29.test-2");
    }

    @Test
    void aFailingTokenEndpointIsA502WithoutDetails() throws Exception {
        status = 400;
        VertexTokens tokens = VertexTokens.ofCredentialsJson(serviceAccountJson(), Clock.systemUTC());
        Object result = onEventLoop(tokens)[0];
        assertThat(result).isInstanceOf(ApiError.class);
        assertThat(((ApiError) result).status()).isEqualTo(502);
        assertThat(((ApiError) result).getMessage()).doesNotContain("acme").doesNotContain("127.0.0.1");
    }

    @Test
    void givenTokenAndBadJson() throws Exception {
        assertThat(await(VertexTokens.ofToken(" ya29.given ").token(vertx))).isEqualTo("ya29.given");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VertexTokens.ofCredentialsJson("{}".getBytes(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
