package dev.sluice.cache.entry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.Answers;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.cache.replay.Substitution;
import dev.sluice.wire.SseEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnswerTemplaterTest {
    static final Bindings ALICE = Bindings.of(Map.of(
            Placeholder.WORKSPACE, "/home/alice/src/calc",
            Placeholder.HOME, "/home/alice",
            Placeholder.PROJECT_SLUG, "-home-alice-src-calc",
            Placeholder.GIT_USER, "Alice Example",
            Placeholder.DATE, "2026-11-29"));
    static final Bindings BOB = Bindings.of(Map.of(
            Placeholder.WORKSPACE, "/home/bob/work/projects/calc",
            Placeholder.HOME, "/home/bob",
            Placeholder.PROJECT_SLUG, "-home-bob-work-projects-calc",
            Placeholder.GIT_USER, "Bob Builder",
            Placeholder.DATE, "2026-11-29"));

    @Test
    void pathsCutAcrossDeltasBecomePlaceholdersAndComeBackAsTheRequestersOwn() {
        List<SseEvent> events = Answers.stream("tool_use",
                Answers.text("Let me read /home/alice/src/calc/calc.py first, then ~/notes."),
                Answers.read("/home/alice/src/calc/calc.py"));
        AnswerTemplater.Templated t = AnswerTemplater.stream(events, ALICE);
        assertThat(t.pins()).as(t.pinReason()).isEmpty();
        assertThat(new String(t.payload(), UTF_8)).doesNotContain("alice");
        assertThat(t.payload()).contains(CacheEntry.MARK);
        List<SseEvent> forBob = replay(t, BOB);
        assertThat(Answers.text(forBob)).doesNotContain("alice").doesNotContain("\ufffd");
        assertThat(AnswerText.of(forBob))
                .contains("Let me read /home/bob/work/projects/calc/calc.py first, then ~/notes.")
                .contains("{\"file_path\":\"/home/bob/work/projects/calc/calc.py\"}");
        assertThat(t.eventEnds().length).as("deltas merged only where a path was cut").isLessThan(events.size())
                .isGreaterThan(events.size() / 2);
        // events without a path keep their exact bytes
        assertThat(new String(split(t.payload(), t.eventEnds()).getFirst().raw(), UTF_8))
                .isEqualTo(new String(events.getFirst().raw(), UTF_8));
    }

    @Test
    void anAnswerThatNamesTheDeveloperIsPinnedToThem() {
        for (String text : List.of("Hi Alice Example, here it is.", "The file is owned by alice.", "Today is 2026-11-29.",
                "Your memory lives in -home-alice-src-calc.")) {
            AnswerTemplater.Templated t = AnswerTemplater.stream(Answers.stream("end_turn", Answers.text(text)), ALICE);
            assertThat(t.pins()).as(text).containsEntry(Placeholder.GIT_USER, "Alice Example")
                    .containsEntry(Placeholder.WORKSPACE, "/home/alice/src/calc");
            assertThat(t.pinReason()).isNotBlank();
        }
    }

    /**
     * Attack round 16: the words of a developer's workspace between their home and the repository, and the words of
     * their git user name, name them as surely as the user name in their home does. An answer saying "your checkout
     * sits in ~/clients/acme-merger/calc" or "Thanks, Alice" was stored shared and replayed to Bob unchanged.
     */
    @Test
    void anAnswerNamingTheDevelopersFoldersOrFirstNameIsPinned() {
        Bindings carol = Bindings.of(Map.of(
                Placeholder.WORKSPACE, "/home/carol/clients/acme-merger/calc",
                Placeholder.HOME, "/home/carol",
                Placeholder.GIT_USER, "Carol Danvers"));
        for (String text : List.of("Your checkout sits in ~/clients/acme-merger/calc.", "This is the acme-merger client's copy.",
                "Thanks, Carol! Here is the fix.", "Signed-off-by: Danvers", "Ask CAROL DANVERS for access.",
                "Ask ACME-MERGER's lead.")) {
            AnswerTemplater.Templated t = AnswerTemplater.stream(Answers.stream("end_turn", Answers.text(text)), carol);
            assertThat(t.pins()).as(text).containsEntry(Placeholder.WORKSPACE, "/home/carol/clients/acme-merger/calc");
            AnswerTemplater.Templated m = AnswerTemplater.message(Answers.message("end_turn", Answers.text(text)), carol);
            assertThat(m.pins()).as(text).isNotEmpty();
        }
        // the repository's own name is everyone's, and a first name that is a common word pins only as written
        Bindings will = Bindings.of(Map.of(Placeholder.WORKSPACE, "/home/wsmith/calc", Placeholder.GIT_USER, "Will Smith"));
        for (String text : List.of("calc adds numbers.", "This will add numbers.")) {
            AnswerTemplater.Templated shared = AnswerTemplater.stream(Answers.stream("end_turn", Answers.text(text)), will);
            assertThat(shared.pins()).as(shared.pinReason()).isEmpty();
        }
        assertThat(AnswerTemplater.stream(Answers.stream("end_turn", Answers.text("Thanks, Will.")), will).pins()).isNotEmpty();
    }

    @Test
    void aPathInsideThinkingPinsBecauseTheSignatureCoversIt() {
        List<SseEvent> events = Answers.stream("end_turn", Answers.text("ok"));
        // a thinking block whose text names the workspace
        List<SseEvent> withThinking = new java.util.ArrayList<>(events);
        withThinking.add(1, dev.sluice.wire.SseFramer.parse(AnswerTemplater.deltaEvent(0, "thinking_delta", "thinking",
                "I should look in /home/alice/src/calc")));
        AnswerTemplater.Templated t = AnswerTemplater.stream(withThinking, ALICE);
        assertThat(t.pins()).isNotEmpty();
        assertThat(t.pinReason()).contains("thinking");
    }

    @Test
    void withoutBindingsTheAnswerIsKeptAsItCame() {
        List<SseEvent> events = Answers.stream("end_turn", Answers.text("Nothing personal here: /usr/lib/x."));
        AnswerTemplater.Templated t = AnswerTemplater.stream(events, Bindings.NONE);
        assertThat(new String(t.payload(), UTF_8)).isEqualTo(Answers.text(events));
        assertThat(t.pins()).isEmpty();
    }

    @Test
    void pathsOutsideTheWorkspaceAreNotTouched() {
        List<SseEvent> events = Answers.stream("end_turn", Answers.text("See /home/alice/src/calc2/x and /home/alicex/y and /opt/calc."));
        AnswerTemplater.Templated t = AnswerTemplater.stream(events, ALICE);
        // calc2 is under Alice's home (a placeholder), alicex is someone else: it names no developer, so not pinned
        assertThat(t.pins()).isEmpty();
        String bob = AnswerText.of(replay(t, BOB));
        assertThat(bob).isEqualTo("See /home/bob/src/calc2/x and /home/alicex/y and /opt/calc.");
    }

    @Test
    void aJsonBodyIsTemplatedToo() {
        byte[] body = Answers.message("tool_use", Answers.text("Reading /home/alice/src/calc/calc.py"),
                Answers.read("/home/alice/src/calc/calc.py"));
        AnswerTemplater.Templated t = AnswerTemplater.message(body, ALICE);
        assertThat(t.pins()).isEmpty();
        String bob = new String(Substitution.apply(t.payload(), 0, t.payload().length, BOB), UTF_8);
        assertThat(bob).contains("\"file_path\":\"/home/bob/work/projects/calc/calc.py\"").doesNotContain("alice");
    }

    /** The stored events with a requester's values, event by event as a replay does it. */
    static List<SseEvent> replay(AnswerTemplater.Templated t, Bindings requester) {
        List<SseEvent> out = new java.util.ArrayList<>();
        int start = 0;
        for (int end : t.eventEnds()) {
            out.add(dev.sluice.wire.SseFramer.parse(Substitution.apply(t.payload(), start, end, requester)));
            start = end;
        }
        return out;
    }

    static List<SseEvent> split(byte[] payload, int[] ends) {
        List<SseEvent> out = new java.util.ArrayList<>();
        int start = 0;
        for (int end : ends) {
            out.add(dev.sluice.wire.SseFramer.parse(java.util.Arrays.copyOfRange(payload, start, end)));
            start = end;
        }
        return out;
    }
}
