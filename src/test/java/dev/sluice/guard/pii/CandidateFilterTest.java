package dev.sluice.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Source;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PersonalData#starts} passes over the candidates its validators reject at once (an '@' after a space,
 * a line number of Claude Code's Read output); the scan must find exactly what the plain loop finds that hands
 * every candidate of the right shape ({@link PersonalData#looksLikeStart}) to its validator. Random texts made
 * of the pieces that matter: short and long numbers, separators, hex letters, '@', addresses and Read-style lines.
 */
class CandidateFilterTest {
    private static final String[] PIECES = {"1", "22", "333", "4444", "2001", "3a", "2f0e:", "2a03:2880:f12f:83::1", "::", ":", " ", "  ",
        "-", ".", "(", ")", "+", "@", "a", "Z", "x", "e", "_", "%", ",", "/", "\n", "\u2192", "     42\u2192", "    123\u2192 ",
        "jane.doe@acme-corp.io", "4539 1488 0343 6467", "512-44-8291", "+44 7911 123456", "81.2.69.142", "(555) 123-4567",
        "DE44 5001 0517 5407 3249 31", "@Override", "v1.2.3", "card ", "\u00e9"};

    @Test
    void findsExactlyWhatThePlainLoopFinds() {
        Random random = new Random(2026);
        Text t = new Text();
        int findings = 0;
        for (int round = 0; round < 20_000; round++) {
            StringBuilder s = new StringBuilder();
            int pieces = 1 + random.nextInt(40);
            for (int p = 0; p < pieces; p++) {
                s.append(PIECES[random.nextInt(PIECES.length)]);
            }
            byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
            t.loadPlain(b, 0, b.length, 0, Source.USER);
            List<String> expected = plainLoop(t);
            Recorder scan = new Recorder();
            new PersonalData().scanAll(t, scan);
            assertThat(scan.found).as("\"%s\"", s).isEqualTo(expected);
            findings += expected.size();
        }
        assertThat(findings).isGreaterThan(5_000);
    }

    /** The loop without any filter or SIMD: every offset of the right shape goes to its validator. */
    private static List<String> plainLoop(Text t) {
        Recorder out = new Recorder();
        int i = 0;
        while (i < t.length()) {
            if (PersonalData.looksLikeStart(t, i, true, true, true)) {
                i = PersonalData.check(t, i, out);
            } else {
                i++;
            }
        }
        return out.found;
    }

    private static final class Recorder implements Emitter {
        final List<String> found = new ArrayList<>();

        @Override
        public boolean enabled(Rule rule) {
            return true;
        }

        @Override
        public void report(Text text, Rule rule, int start, int end) {
            found.add(rule.name() + "@" + start + "-" + end);
        }

        @Override
        public void signal(Text text, Rule rule, int start, int end, double weight, boolean primary) {
        }

        @Override
        public Text valueOf(Text key) {
            return null;
        }

        @Override
        public double injectionScore(byte[] bytes, int from, int to) {
            return 0;
        }

        @Override
        public int mark() {
            return 0;
        }

        @Override
        public void mark(int value) {
        }
    }
}
