package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.embed.Embedder;
import dev.sluice.cache.semantic.index.IndexRegistry;
import dev.sluice.cache.semantic.learn.ShadowLog;
import dev.sluice.cache.semantic.learn.ThresholdLearner;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Lookups and stores started on a Vert.x event loop never embed or search on it through a pluggable embedder (here a
 * recording wrapper, as a remote embeddings endpoint would be); only the in-process pair's miss on a small index is
 * decided there ({@link InlineMissTest}).
 */
class EventLoopTest {
    /** Records the thread each embedding is computed on (the static one computes inside embed()). */
    record Recording(Embedder inner, List<String> threads) implements Embedder {
        @Override
        public String id() {
            return inner.id();
        }

        @Override
        public int dimensions() {
            return inner.dimensions();
        }

        @Override
        public int maxTokens() {
            return inner.maxTokens();
        }

        @Override
        public CompletionStage<Optional<float[]>> embed(String text) {
            threads.add(Thread.currentThread().getName());
            return inner.embed(text).thenApply(v -> {
                threads.add(Thread.currentThread().getName());
                return v;
            });
        }
    }

    @Test
    void embeddingAndSearchRunOffTheEventLoop() {
        Vertx vertx = Vertx.vertx();
        List<String> threads = new CopyOnWriteArrayList<>();
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            SemanticSettings s = SemanticSettings.defaults();
            SemanticMatcher matcher = new SemanticMatcher(s, new Recording(m.retrieval(), threads), m.verifier(),
                    new IndexRegistry(384, s.hnswAbove(), s.maxEntriesPerIndex(), s.maxIndexBytes()),
                    new ThresholdLearner(s.threshold(), s.thresholdFloor(), s.errorBound(), 100), new ShadowLog(10),
                    m.executor(), System::currentTimeMillis, IndexLoader.NONE, StoreListener.NONE);
            Anchor anchor = new Anchor(3, 4);
            Promise<Boolean> stored = Promise.promise();
            vertx.runOnContext(v -> matcher.store("org:a", anchor, "Where are the API routes defined?", false, "E1")
                    .whenComplete((r, e) -> stored.complete(r)));
            assertThat(stored.future().await()).isTrue();
            Promise<Optional<Match>> result = Promise.promise();
            vertx.runOnContext(v -> {
                assertThat(Thread.currentThread().getName()).contains("eventloop");
                matcher.lookup(new LookupRequest("org:a", anchor, "Where are the API routes declared?", false))
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                result.fail(e);
                            } else {
                                result.complete(r);
                            }
                        });
            });
            assertThat(result.future().await()).map(Match::entryId).contains("E1");
        } finally {
            vertx.close().await();
        }
        assertThat(threads).isNotEmpty().noneMatch(t -> t.contains("eventloop"));
    }
}
