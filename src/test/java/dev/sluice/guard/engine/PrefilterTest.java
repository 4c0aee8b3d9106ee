package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.GuardRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The prefilter (the automaton run from SIMD-found keyword starts with 64-byte registers, or three chains over
 * SIMD-computed byte classes, or two chains over the bytes) finds exactly what one plain pass over the decoded strings
 * finds, wherever it cuts.
 */
class PrefilterTest {
    private static final KeywordAutomaton AUTOMATON = GuardEngine.of(GuardRules.detectors()).automaton();

    /** Hits as "segment:row:end" from the prefilter; the same from the two-chain one over bytes, or the test fails. */
    private static TreeSet<String> prefilter(byte[] body) {
        BodyWalker w = new BodyWalker();
        w.walkWhole(body, body.length, null);
        IntArray hits = new IntArray(16);
        IntArray pairHits = new IntArray(16);
        IntArray classHits = new IntArray(16);
        new Prefilter(AUTOMATON).run(w.decoded, w.segments.count(), hits);
        new Prefilter(AUTOMATON, false, false).run(w.decoded, w.segments.count(), pairHits);
        new Prefilter(AUTOMATON, true, false).run(w.decoded, w.segments.count(), classHits);
        assertThat(java.util.Arrays.copyOf(pairHits.array(), pairHits.size())).as("two chains over the bytes")
                .isEqualTo(java.util.Arrays.copyOf(hits.array(), hits.size()));
        assertThat(java.util.Arrays.copyOf(classHits.array(), classHits.size())).as("three chains over the classes")
                .isEqualTo(java.util.Arrays.copyOf(hits.array(), hits.size()));
        TreeSet<String> out = new TreeSet<>();
        for (int i = 0; i < hits.size(); i += 3) {
            out.add(hits.get(i) + ":" + hits.get(i + 1) + ":" + hits.get(i + 2));
        }
        // Hits must come grouped by segment, in order of their end inside each segment.
        for (int i = 3; i < hits.size(); i += 3) {
            boolean ordered = hits.get(i) > hits.get(i - 3) || (hits.get(i) == hits.get(i - 3) && hits.get(i + 2) >= hits.get(i - 1));
            assertThat(ordered).as("hit %d in order", i / 3).isTrue();
        }
        return out;
    }

    /** The same by decoding each string with the test's own JSON parser and stepping the automaton over it. */
    private static TreeSet<String> reference(byte[] body) throws Exception {
        BodyWalker w = new BodyWalker();
        w.walkWhole(body, body.length, null);
        TreeSet<String> out = new TreeSet<>();
        for (int s = 0; s < w.segments.count(); s++) {
            String raw = new String(body, w.segments.rawStart(s), w.segments.rawEnd(s) - w.segments.rawStart(s), StandardCharsets.UTF_8);
            byte[] text = dev.sluice.wire.Json.MAPPER.readValue("\"" + raw + "\"", String.class).getBytes(StandardCharsets.UTF_8);
            int row = 0;
            for (int i = 0; i < text.length; i++) {
                row = AUTOMATON.step(row, text[i]);
                if (row >= AUTOMATON.firstMatch()) {
                    out.add(s + ":" + row + ":" + (i + 1));
                }
            }
        }
        return out;
    }

    @Test
    void agreesWithAPlainPassOnRandomBodiesWithEscapesAndLongStrings() throws Exception {
        Random r = new Random(5);
        String[] words = {"token", "secret", "password", "ignore all previous instructions", "\\n", "\\\"", "\\u00e9", "\\ud83d\\ude00",
            "AKIA", "ghp_", "://", "x", " ", "\\\\", "\u2192", "PRIVATE KEY", "eyJ", "\\u200b\\u200b", "hooks.slack.com/services/",
            "\u00e9", "\u00a0", "\u202e", "\u00ff\u0080", "\uD83D\uDE00", "\uDB40\uDC41", "\u200d", "\u00bf\u00c3", "\\u00ff"};
        for (int round = 0; round < 40; round++) {
            StringBuilder json = new StringBuilder("{\"messages\":[");
            int strings = 1 + r.nextInt(6);
            for (int s = 0; s < strings; s++) {
                json.append(s > 0 ? "," : "").append("{\"role\":\"user\",\"content\":\"");
                int n = r.nextInt(round % 5 == 0 ? 6000 : 300);
                for (int i = 0; i < n; i++) {
                    json.append(words[r.nextInt(words.length)]);
                }
                json.append("\"}");
            }
            json.append("]}");
            byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
            assertThat(prefilter(body)).as("round %d", round).isEqualTo(reference(body));
        }
    }

    @Test
    void aKeywordAcrossTheCutIsFound() throws Exception {
        List<String> sizes = new ArrayList<>();
        for (int pad = 4090; pad < 4130; pad++) {
            String text = "a".repeat(pad) + "secret" + "b".repeat(pad);
            byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
            assertThat(prefilter(body)).as("pad %d", pad).isEqualTo(reference(body));
            sizes.add(String.valueOf(body.length));
        }
        assertThat(sizes).hasSize(40);
    }

    @Test
    void aKeywordAcrossEitherCutOfThreeChainsIsFound() throws Exception {
        int length = 9000;
        for (int shift = -8; shift <= 8; shift++) {
            StringBuilder text = new StringBuilder("a".repeat(length));
            for (int cut : new int[] {(length + 1) / 3, 2 * ((length + 1) / 3)}) {
                text.replace(cut + shift - 3, cut + shift + 3, "secret");
            }
            byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}").getBytes(StandardCharsets.UTF_8);
            assertThat(prefilter(body)).as("shift %d", shift).isEqualTo(reference(body)).hasSize(2);
        }
    }

    @Test
    void theSimdClassesAreTheTableClassesForEveryByteAtEveryLane() {
        if (!VectorClasses.AVAILABLE) {
            return;
        }
        byte[] bytes = new byte[256 * 65 + 64];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 7 + i / 256);
        }
        byte[] out = new byte[bytes.length];
        int done = new VectorClasses(AUTOMATON.classes()).classify(bytes, bytes.length, out);
        assertThat(done).isEqualTo(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            assertThat(out[i]).as("byte %d at %d", bytes[i] & 0xff, i).isEqualTo(AUTOMATON.classes()[bytes[i] & 0xff]);
        }
    }
}
