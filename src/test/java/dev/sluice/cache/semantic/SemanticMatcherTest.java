package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.index.Anchor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.sluice.cache.semantic.embed.Vectors;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default matcher end to end, with the real shipped model (static retrieval + transformer verification). */
class SemanticMatcherTest {
    private static SemanticMatchers matchers;
    private static final Anchor ANCHOR = new Anchor(1, 2);

    @BeforeAll
    static void open() {
        matchers = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test"), 2);
    }

    @AfterAll
    static void close() {
        matchers.close();
    }

    private static Optional<Match> lookup(SemanticMatcher m, String scope, Anchor anchor, String text, boolean tool) {
        return m.lookup(new LookupRequest(scope, anchor, text, tool)).toCompletableFuture().join();
    }

    @Test
    void paraphraseHits_changedIdentifierNegationOrAnchorMisses() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults(), IndexLoader.NONE, StoreListener.NONE);
        assertThat(m.store("org:a", ANCHOR, "How is the database connection pool configured in this project?", false, "E1")
                .toCompletableFuture().join()).isTrue();
        Optional<Match> hit = lookup(m, "org:a", ANCHOR, "How is the database connection pool configured in this project, please?", false);
        assertThat(hit).isPresent();
        assertThat(hit.get().entryId()).isEqualTo("E1");
        assertThat(hit.get().serve()).isTrue();
        assertThat(hit.get().similarity()).isGreaterThanOrEqualTo(hit.get().threshold());

        m.store("org:a", ANCHOR, "What does `refresh_session` in auth/session.py do?", false, "E2").toCompletableFuture().join();
        assertThat(lookup(m, "org:a", ANCHOR, "What does `refresh_token` in auth/session.py do?", false)).isEmpty();
        assertThat(lookup(m, "org:a", ANCHOR, "Can you explain what `refresh_session` in auth/session.py does?", false))
                .map(Match::entryId).contains("E2");
        assertThat(lookup(m, "org:a", ANCHOR, "How is the database connection pool not configured in this project?", false)).isEmpty();
        assertThat(lookup(m, "org:a", ANCHOR, "How is the HTTP connection pool configured in this project?", false)).isEmpty();
        assertThat(lookup(m, "org:a", new Anchor(9, 9), "How is the database connection pool configured in this project?", false)).isEmpty();
        assertThat(lookup(m, "org:b", ANCHOR, "How is the database connection pool configured in this project?", false)).isEmpty();
        assertThat(m.forget("org:a", ANCHOR, "E1")).isTrue();
        assertThat(lookup(m, "org:a", ANCHOR, "How is the database connection pool configured in this project, please?", false)).isEmpty();
    }

    /** Attack round 28: each second question got the first one's answer (0.93-0.99 similar, the guard saw no difference). */
    @Test
    void questionsThatDifferInOrderUnitsOrASmallWordAreNotMatched() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults().withMode(SemanticMode.ON), IndexLoader.NONE, StoreListener.NONE);
        String[][] pairs = {
            {"Is Python faster than Java for this workload?", "Is Java faster than Python for this workload?"},
            {"Give me fifteen ideas for the team offsite.", "Give me sixteen ideas for the team offsite."},
            {"Wait 5 seconds before retrying.", "Wait 5 minutes before retrying."},
            {"Scale the deployment up.", "Scale the deployment down."},
            {"Turn the feature flag on.", "Turn the feature flag off."},
            {"Find users with the admin and editor roles.", "Find users with the admin or editor roles."},
            {"What happened in the standup yesterday?", "What happened in the standup today?"},
        };
        for (int i = 0; i < pairs.length; i++) {
            Anchor a = new Anchor(28, i);
            m.store("org:a", a, pairs[i][0], false, "E" + i).toCompletableFuture().join();
            assertThat(lookup(m, "org:a", a, pairs[i][1], false)).as(pairs[i][1]).isEmpty();
        }
        Anchor a = new Anchor(28, 99);
        m.store("org:a", a, "Is Python faster than Java for this workload?", false, "P").toCompletableFuture().join();
        assertThat(lookup(m, "org:a", a, "Is Python faster than Java for this workload, please?", false))
                .as("a paraphrase still hits").map(Match::entryId).contains("P");
    }

    @Test
    void toolResultTurnsAreNeverMatchedNorStored() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults(), IndexLoader.NONE, StoreListener.NONE);
        m.store("org:a", ANCHOR, "Explain the login flow.", false, "E1").toCompletableFuture().join();
        assertThat(lookup(m, "org:a", ANCHOR, "Explain the login flow.", true)).isEmpty();
        assertThat(m.store("org:a", ANCHOR, "Explain the logout flow.", true, "E2").toCompletableFuture().join()).isFalse();
        assertThat(m.store("org:a", ANCHOR, "word ".repeat(600), false, "E3").toCompletableFuture().join()).isFalse();
    }

    @Test
    void shadowModeReportsWouldBeHitsUnserved_andAWrongVerdictStopsTheEntry() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults().withMode(SemanticMode.SHADOW), IndexLoader.NONE, StoreListener.NONE);
        m.store("org:a", ANCHOR, "Where are the API routes defined?", false, "E1").toCompletableFuture().join();
        Match would = lookup(m, "org:a", ANCHOR, "Where are the API routes declared?", false).orElseThrow();
        assertThat(would.serve()).isFalse();
        assertThat(m.shadowLog().wouldBeHits()).isEqualTo(1);
        m.observe("org:a", would.entryId(), would.similarity(), false);
        assertThat(m.shadowLog().wrong()).isEqualTo(1);
        assertThat(lookup(m, "org:a", ANCHOR, "Where are the API routes declared?", false)).isEmpty();
    }

    /** Attack round 9 F6: two orgs' entries for one question share an id; one org's verdict must not move the other's bar. */
    @Test
    void aWrongVerdictInOneOrgLeavesTheSameQuestionInAnotherOrgAlone() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults().withMode(SemanticMode.ON), IndexLoader.NONE, StoreListener.NONE);
        m.store("org:a", ANCHOR, "Where are the API routes defined?", false, "SAME").toCompletableFuture().join();
        m.store("org:b", ANCHOR, "Where are the API routes defined?", false, "SAME").toCompletableFuture().join();
        Match inB = lookup(m, "org:b", ANCHOR, "Where are the API routes declared?", false).orElseThrow();
        m.observe("org:b", inB.entryId(), inB.similarity(), false);
        assertThat(lookup(m, "org:b", ANCHOR, "Where are the API routes declared?", false)).as("distrusted in b").isEmpty();
        assertThat(lookup(m, "org:a", ANCHOR, "Where are the API routes declared?", false)).as("still served in a").isPresent();
        assertThat(m.threshold("org:a", "SAME")).isLessThan(m.threshold("org:b", "SAME"));
    }

    @Test
    void ourTransformerPipelineAgreesWithLangchain4jsOwnEmbedding() {
        System.setProperty("DJL_CACHE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "sluice-djl").toString());
        var reference = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (String text : new String[] {"How is the database connection pool configured?", "Explain `refresh_session` in auth/session.py."}) {
            float[] ours = matchers.verifier().embed(text).toCompletableFuture().join().orElseThrow();
            float[] theirs = Vectors.normalize(reference.embed(text).content().vector());
            assertThat(Vectors.dot(ours, theirs)).isGreaterThan(0.99f);
        }
    }
}
