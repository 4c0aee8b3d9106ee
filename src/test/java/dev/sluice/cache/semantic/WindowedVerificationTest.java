package dev.sluice.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.embed.StaticEmbedder;
import dev.sluice.cache.semantic.embed.Tokens;
import dev.sluice.cache.semantic.embed.TransformerEmbedder;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.embed.WindowCache;
import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.embed.WindowedVerifier;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The windowed verifier with the shipped model: short texts unchanged, long near-duplicates cheap and still safe. */
class WindowedVerificationTest {
    private static SemanticMatchers matchers;
    private static final Anchor ANCHOR = new Anchor(3, 4);

    static final String LONG = "Our web application lets people sign in with their email address and a password. "
            + "After a successful sign in the server creates a session for the user and remembers when it started. "
            + "The session is kept in a signed cookie that the browser sends back with every request it makes. "
            + "Each request goes through a middleware that reads the cookie and loads the matching user record. "
            + "When the session expires the user is sent back to the sign in page and asked for the password again. "
            + "Administrators can end every session of a user from the settings page of the admin area. "
            + "We also log each sign in attempt so that support can answer questions about it later. "
            + "The team wants to add single sign on for larger customers at some point next quarter. "
            + "Before that work starts we want to understand the current design really well. "
            + "Could you explain how the whole sign in flow works, from the form to the loaded user?";
    /** One sentence says something else; no identifier, number, negation or sense word changes. */
    static final String CHANGED = LONG.replace(
            "The session is kept in a signed cookie that the browser sends back with every request it makes.",
            "The session is kept in a shared database table that each server reads whenever the browser sends a request.");

    @BeforeAll
    static void open() {
        matchers = SemanticMatchers.open(Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test"), 2);
    }

    @AfterAll
    static void close() {
        matchers.close();
    }

    private static WindowedVector windowed(String scope, String text) {
        return matchers.windowed().verify(scope, text).toCompletableFuture().join().orElseThrow();
    }

    @Test
    void everyLabelledTextIsOneWindowWithTodaysVector() {
        for (LabelledPairs.Pair p : LabelledPairs.load().pairs()) {
            for (String t : new String[] {p.a(), p.b()}) {
                // One at a time: the quantized model's activation scales depend on what shares the ONNX batch.
                float[] today = matchers.verifier().embed(t).toCompletableFuture().join().orElseThrow();
                WindowedVector now = windowed("org:" + p.id(), t);
                assertThat(now.count()).as(t).isEqualTo(1);
                assertThat(now.vector()).as(t).containsExactly(today);
                assertThat(EntryWindows.of(now)).isNull();
            }
        }
    }

    @Test
    void aNearDuplicateEmbedsOnlyTheWindowsItChanged_andWindowsAreCachedPerScope() {
        WindowCache cache = matchers.windowed().cache();
        WindowedVector stored = windowed("org:w1", LONG);
        assertThat(stored.count()).isGreaterThan(3);
        long missesBefore = cache.stats().misses();
        WindowedVector again = windowed("org:w1", LONG + " Thanks a lot for your help with this.");
        assertThat(cache.stats().misses() - missesBefore).isEqualTo(1);
        assertThat(Vectors.dot(stored.vector(), again.vector())).isGreaterThan(0.97f);
        long before = cache.stats().misses();
        windowed("org:w2", LONG);
        assertThat(cache.stats().misses() - before).as("another scope embeds every window itself").isEqualTo(stored.count());
    }

    /** As the matcher embeds {@code text} for a lookup against {@code entry}: rows planned against its windows. */
    private static WindowedVector planned(String scope, String text, StoredEntry entry) {
        return WindowPlan.verify(matchers.windowed(), scope, text, Arrays.asList(entry.windows()), false)
                .toCompletableFuture().join().orElseThrow();
    }

    @Test
    void theWindowRuleRefusesALongNearDuplicateWithOneChangedSentence() {
        assertThat(CodeIdentity.of(CHANGED)).as("the guard passes it").isEqualTo(CodeIdentity.of(LONG));
        WindowedVector stored = windowed("org:w3", LONG);
        StoredEntry entry = new StoredEntry("E", CodeIdentity.of(LONG), stored.vector(), 0, EntryWindows.of(stored));
        WindowedVector changed = planned("org:w3", CHANGED, entry);
        double t = SemanticSettings.DEFAULT_THRESHOLD;
        assertThat((double) Vectors.dot(changed.vector(), stored.vector()))
                .as("the mean over the windows is diluted past the threshold").isGreaterThanOrEqualTo(t);
        assertThat(SemanticMatcher.windowsAgree(changed, entry, t)).isFalse();
        System.out.printf("windows %d / %d, whole-text similarity %.4f%n", stored.count(), changed.count(),
                Vectors.dot(changed.vector(), stored.vector()));
        WindowedVector polite = planned("org:w3", LONG + " Thanks a lot for your help with this.", entry);
        assertThat(SemanticMatcher.windowsAgree(polite, entry, t)).isTrue();
        assertThat(SemanticMatcher.windowsAgree(stored, entry, t)).isTrue();
        // A deleted sentence counts like a changed one.
        WindowedVector shorter = planned("org:w3", LONG.replace(
                "The session is kept in a signed cookie that the browser sends back with every request it makes. ", ""), entry);
        assertThat(SemanticMatcher.windowsAgree(shorter, entry, t)).isFalse();
    }

    @Test
    void endToEnd_theMatcherServesThePoliteLongVariant_notTheChangedOne() {
        SemanticMatcher m = matchers.matcher(SemanticSettings.defaults(), IndexLoader.NONE, StoreListener.NONE);
        assertThat(m.store("org:w4", ANCHOR, LONG, false, "L").toCompletableFuture().join()).isTrue();
        long inline = ((TransformerEmbedder) matchers.verifier()).inlineRuns();
        Optional<Match> polite = m.lookup(new LookupRequest("org:w4", ANCHOR, LONG + " Thanks a lot for your help with this.", false))
                .toCompletableFuture().join();
        assertThat(polite).map(Match::entryId).contains("L");
        assertThat(((TransformerEmbedder) matchers.verifier()).inlineRuns() - inline)
                .as("the changed window ran on the lookup executor, the model being idle").isEqualTo(1);
        assertThat(m.lookup(new LookupRequest("org:w4", ANCHOR, CHANGED, false)).toCompletableFuture().join()).isEmpty();
    }
    @Test
    void tokenisedOnce_theStaticVectorAndTheCutAreThoseOfTheTextTokenisedByEach() {
        StaticEmbedder retrieval = (StaticEmbedder) matchers.retrieval();
        WindowedVerifier windowed = matchers.windowed();
        assertThat(retrieval.tokenizer()).isSameAs(windowed.tokenizer());
        String lines = "Why does this fail?\nIt worked yesterday.\n\n" + LONG.replace(". ", ".\n");
        String past256 = (LONG + " ").repeat(2); // 300-odd tokens: the static embedding yes, the verifier's cut no
        for (String text : new String[] {"how do I rename a branch", LONG, CHANGED, lines, past256}) {
            Tokens tokens = Tokens.of(retrieval.tokenizer(), text, retrieval.maxTokens());
            assertThat(retrieval.embed(tokens).orElseThrow()).as(text).containsExactly(retrieval.embedNow(text).orElseThrow());
            WindowedVerifier.Cut alone = windowed.cut(text);
            WindowedVerifier.Cut shared = windowed.cut(tokens);
            if (alone == null) {
                assertThat(shared).as(text).isNull();
                continue;
            }
            assertThat(shared.ends()).as(text).containsExactly(alone.ends());
            assertThat(shared.hashes()).as(text).containsExactly(alone.hashes());
            assertThat(Arrays.copyOf(shared.ids(), alone.ends()[alone.count() - 1]))
                    .containsExactly(Arrays.copyOf(alone.ids(), alone.ends()[alone.count() - 1]));
        }
        assertThat(windowed.cut(past256)).as("the verifier's cap is exercised").isNull();
        assertThat(Tokens.of(retrieval.tokenizer(), (LONG + " ").repeat(6), retrieval.maxTokens())).as("past 512 tokens").isNull();
        assertThat(lines.lines().count()).isGreaterThan(5);
    }
}
