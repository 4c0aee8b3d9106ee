package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.index.IndexRegistry;
import dev.sluice.cache.semantic.index.ScopeIndex;
import dev.sluice.cache.semantic.learn.ShadowLog;
import dev.sluice.cache.semantic.learn.ThresholdLearner;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A small index's miss is decided on the calling event loop, with no hop to a lookup thread and back (two wake-ups
 * that cost a scheduler tick at p99, h-sem15); a candidate to verify, or a text too long to scan there, still hops.
 */
class InlineMissTest {
    @Test
    void aSmallIndexsMissStaysOnTheEventLoop_aCandidateOrALongTextHops() {
        Vertx vertx = Vertx.vertx();
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            AtomicInteger hops = new AtomicInteger();
            SemanticSettings s = SemanticSettings.defaults();
            SemanticMatcher matcher = matcher(m, s, registry(s), hops);
            Anchor anchor = new Anchor(3, 4);
            assertThat(matcher.store("org:a", anchor, "Where are the API routes defined?", false, "E1")
                    .toCompletableFuture().join()).isTrue();

            int before = hops.get();
            assertThat(lookup(vertx, matcher, anchor, "Why does refresh_session in auth/session.py return 401 after 3 retries?")).isEmpty();
            assertThat(hops.get()).as("a miss on a one-entry index: no hop").isEqualTo(before);

            assertThat(lookup(vertx, matcher, anchor, "Where are the API routes declared?")).map(Match::entryId).contains("E1");
            assertThat(hops.get()).as("a candidate is verified off the event loop").isGreaterThan(before);

            int beforeLong = hops.get();
            String longText = "How do I rotate the database password in staging? ".repeat(100);
            assertThat(longText.length()).isGreaterThan(SemanticMatcher.INLINE_CHARS);
            assertThat(lookup(vertx, matcher, anchor, longText)).isEmpty();
            assertThat(hops.get()).as("a long text is scanned off the event loop").isGreaterThan(beforeLong);
        } finally {
            vertx.close().await();
        }
    }

    @Test
    void anHnswIndexsMissStaysOnTheEventLoopToo() {
        Vertx vertx = Vertx.vertx();
        try (SemanticMatchers m = SemanticMatchers.open(EmbeddingOptions.cacheDir(), 2)) {
            AtomicInteger hops = new AtomicInteger();
            SemanticSettings d = SemanticSettings.defaults();
            SemanticSettings s = new SemanticSettings(d.mode(), d.retrievalFloor(), d.threshold(), d.thresholdFloor(),
                    d.errorBound(), d.candidates(), d.entryTtl(), 16, d.maxEntriesPerIndex(), d.maxIndexBytes());
            IndexRegistry registry = registry(s);
            SemanticMatcher matcher = matcher(m, s, registry, hops);
            Anchor anchor = new Anchor(5, 6);
            for (int i = 0; i < 24; i++) {
                assertThat(matcher.store("org:a", anchor, "Where is handler_" + i + " registered in routes_" + i + ".py?",
                        false, "E" + i).toCompletableFuture().join()).isTrue();
            }
            assertThat(registry.find(matcher.key("org:a", anchor))).get().matches(ScopeIndex::usesHnsw, "an HNSW index");
            int before = hops.get();
            assertThat(lookup(vertx, matcher, anchor, "Why does refresh_session in auth/session.py return 401 after 3 retries?"))
                    .isEmpty();
            assertThat(hops.get()).as("a miss on an HNSW index: no hop").isEqualTo(before);
        } finally {
            vertx.close().await();
        }
    }

    private static IndexRegistry registry(SemanticSettings s) {
        return new IndexRegistry(384, s.hnswAbove(), s.maxEntriesPerIndex(), s.maxIndexBytes());
    }

    /** The default pair's matcher on an executor that counts the tasks handed to the lookup pool. */
    private static SemanticMatcher matcher(SemanticMatchers m, SemanticSettings s, IndexRegistry registry, AtomicInteger hops) {
        Executor counting = task -> {
            hops.incrementAndGet();
            m.executor().execute(task);
        };
        return new SemanticMatcher(s, m.retrieval(), m.windowed(), registry,
                new ThresholdLearner(s.threshold(), s.thresholdFloor(), s.errorBound(), 100), new ShadowLog(10),
                counting, System::currentTimeMillis, IndexLoader.NONE, StoreListener.NONE);
    }

    private static Optional<Match> lookup(Vertx vertx, SemanticMatcher matcher, Anchor anchor, String text) {
        Promise<Optional<Match>> result = Promise.promise();
        vertx.runOnContext(v -> matcher.lookup(new LookupRequest("org:a", anchor, text, false)).whenComplete((r, e) -> {
            if (e != null) {
                result.fail(e);
            } else {
                result.complete(r);
            }
        }));
        return result.future().await();
    }
}
