package dev.sluice.cache.stage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.cache.entry.AnswerText;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.replay.Replay;
import dev.sluice.cache.semantic.Match;
import dev.sluice.cache.semantic.SemanticMatcher;
import dev.sluice.cache.semantic.embed.Embedder;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.store.StoreKey;
import dev.sluice.wire.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shadow mode's other half. A would-be hit is not served; the request goes upstream and, when its own answer is
 * stored by the exact cache, that real answer is compared with the answer the would-be hit would have served. The
 * verdict goes to the matcher ({@link SemanticMatcher#observe}: the per-entry threshold learner and the shadow
 * log). Would-be hits whose request never stores an answer (an error, no-store) are forgotten after a while.
 *
 * <p>When are two answers the same? Equal text after collapsing whitespace, or (model answers are rarely equal
 * word for word) a similarity of at least {@value #AGREEMENT} between the two answers by the verifying model.
 */
final class ShadowChecks {
    private static final Logger LOG = LoggerFactory.getLogger(ShadowChecks.class);
    static final double AGREEMENT = 0.90;

    /** What a request would have been served: the entry's store key and the match, with the request's bindings. */
    record WouldBe(StoreKey source, Match match, String scope, Anchor anchor, Bindings bindings) {
    }

    private final SemanticService service;
    private final SemanticMatcher matcher;
    private final Cache<StoreKey, WouldBe> pending = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10)).executor(Runnable::run).build();

    ShadowChecks(SemanticService service, SemanticMatcher matcher) {
        this.service = service;
        this.matcher = matcher;
    }

    /** A would-be hit for the request keyed {@code request}. */
    void wouldBe(StoreKey request, WouldBe w) {
        pending.put(request, w);
    }

    /** The exact cache stored the answer of the request keyed {@code request}; compares it if it had a would-be hit. */
    void answered(StoreKey request, CacheEntry real) {
        WouldBe w = pending.asMap().remove(request);
        if (w == null) {
            return;
        }
        service.cache().cache().store().get(w.source()).onSuccess(f -> {
            if (f.entry() == null) {
                return;
            }
            service.vertx().executeBlocking(() -> {
                String served = text(f.entry(), w.bindings());
                String actual = text(real, w.bindings());
                return served == null || actual == null ? null : agree(served, actual);
            }, false).onSuccess(verdict -> {
                if (verdict == null) {
                    return;
                }
                verdict.thenAccept(right -> {
                    matcher.observe(w.scope(), w.match().entryId(), w.match().similarity(), right);
                    service.stats().shadowVerdict(right);
                    LOG.debug("semantic shadow: entry {} at {} was {}", w.match().entryId(), w.match().similarity(),
                            right ? "right" : "wrong");
                });
            });
        });
    }

    /** The readable text of an entry's answer, or null when it cannot be rendered. */
    private static String text(CacheEntry e, Bindings bindings) {
        byte[] body = Replay.body(e, bindings, "msg_shadow");
        if (body == null) {
            return null;
        }
        try {
            return AnswerText.of(Json.MAPPER.readTree(body));
        } catch (java.io.IOException ex) {
            return null;
        }
    }

    /** True when the two answers say the same thing (see the class comment). */
    private CompletionStage<Boolean> agree(String a, String b) {
        if (normal(a).equals(normal(b))) {
            return CompletableFuture.completedFuture(true);
        }
        Embedder verifier = service.verifier();
        if (verifier == null) {
            return CompletableFuture.completedFuture(false);
        }
        String left = cap(a);
        String right = cap(b);
        return verifier.embed(left).thenCombine(verifier.embed(right), (x, y) -> similar(x, y));
    }

    private static boolean similar(Optional<float[]> x, Optional<float[]> y) {
        return x.isPresent() && y.isPresent() && Vectors.dot(x.get(), y.get()) >= AGREEMENT;
    }

    /** The verifier reads at most 256 pieces; a prefix that long keeps it from refusing a long answer. */
    private static String cap(String s) {
        return s.length() <= 800 ? s : s.substring(0, 800);
    }

    private static String normal(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }

    long pending() {
        return pending.estimatedSize();
    }
}
