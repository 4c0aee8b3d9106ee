package dev.sluice.cache.semantic.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.testing.StubServer;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Against a real local HTTP server speaking the OpenAI embeddings shape. */
class RemoteEmbedderTest {
    private static Vertx vertx;
    private static StubServer server;
    private static final AtomicReference<String> lastBody = new AtomicReference<>();
    private static final AtomicReference<String> lastAuth = new AtomicReference<>();

    @BeforeAll
    static void start() {
        server = StubServer.start((req, body) -> {
            lastBody.set(body.toString());
            lastAuth.set(req.getHeader("authorization"));
            switch (req.path()) {
                case "/v1/embeddings" -> req.response().putHeader("content-type", "application/json")
                        .end("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[3.0,4.0,0]}],\"usage\":{}}");
                case "/wrong-dim/v1/embeddings" -> req.response().end("{\"data\":[{\"embedding\":[1,2]}]}");
                case "/slow/v1/embeddings" -> vertx.setTimer(4_000, t -> req.response().end("{}"));
                default -> req.response().setStatusCode(500).end("{\"error\":\"boom\"}");
            }
        });
        vertx = server.vertx(); // the stub's Vert.x also runs the client under test
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RemoteEmbedder embedder(String path) {
        return new RemoteEmbedder(vertx.createHttpClient(), URI.create("http://127.0.0.1:" + server.port() + path),
                "text-embed-small", "sk-test", 3, 64, Duration.ofMillis(1_500), MiniLmModel.loadTokenizer());
    }

    @Test
    void postsTheTextAndReturnsTheUnitVector() {
        Optional<float[]> v = embedder("/v1/embeddings").embed("Where is \"main\"?").toCompletableFuture().join();
        assertThat(v).isPresent();
        assertThat(v.get()).containsExactly(0.6f, 0.8f, 0f);
        assertThat(lastBody.get()).isEqualTo("{\"model\":\"text-embed-small\",\"input\":\"Where is \\\"main\\\"?\"}");
        assertThat(lastAuth.get()).isEqualTo("Bearer sk-test");
    }

    /** Called from threads that are not the connection's event loop, no answer may lose its body (Vert.x #4705). */
    @Test
    void manyCallsFromOtherThreadsEachGetTheirAnswer() throws Exception {
        RemoteEmbedder embedder = embedder("/v1/embeddings");
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var calls = new java.util.ArrayList<java.util.concurrent.Future<Optional<float[]>>>();
            for (int i = 0; i < 400; i++) {
                calls.add(pool.submit(() -> embedder.embed("question").toCompletableFuture().join()));
            }
            for (var call : calls) {
                assertThat(call.get().orElseThrow()).containsExactly(0.6f, 0.8f, 0f);
            }
        }
    }

    @Test
    void errorsTimeoutsAndWrongDimensionsFail_overCapIsEmpty() {
        assertThatThrownBy(() -> embedder("/broken/v1/embeddings").embed("x").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasMessageContaining("answered 500");
        assertThatThrownBy(() -> embedder("/wrong-dim/v1/embeddings").embed("x").toCompletableFuture().join())
                .hasMessageContaining("expected: 3");
        assertThatThrownBy(() -> embedder("/slow/v1/embeddings").embed("x").toCompletableFuture().join())
                .isInstanceOf(CompletionException.class);
        assertThat(embedder("/v1/embeddings").embed("word ".repeat(100)).toCompletableFuture().join()).isEmpty();
        assertThatThrownBy(() -> new RemoteEmbedder(vertx.createHttpClient(), URI.create("ftp://x/v1/embeddings"), "m", null, 3, 8,
                Duration.ofSeconds(1), MiniLmModel.loadTokenizer())).hasMessageContaining("http or https");
    }
}
