package dev.sluice.guard.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Finding;
import dev.sluice.guard.GuardPolicy;
import dev.sluice.guard.GuardRules;
import dev.sluice.guard.pii.PersonalData;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The personal-data search over all strings at once ({@link dev.sluice.guard.detect.Detector#markCandidates}) passes over
 * no offset where the scalar test sees a candidate, and a scan that uses it finds exactly what the scan that has each
 * string read by the detector finds.
 */
class DataStartsTest {
    private static final GuardEngine ENGINE = GuardEngine.of(GuardRules.detectors());
    private static final GuardPolicy ALL = GuardPolicy.builder().allPii().build();
    private static final String[] WORDS = {"token", "secret", "password", "ignore all previous instructions", "\\n", "\\\"",
        "\\u00e9", "x", " ", "\u2192", "AKIA", "ghp_", "://", "jane.doe@acme-corp.io", "@Override", " @", "a@", "+44 7911 123456",
        "(415) 867-5309", "4539 1488 0343 6467", "DE44 5001 0517 5407 3249 31", "GB82WEST12345698765432", "81.2.69.142",
        "2001:4860:4860::8888", "512-44-8291", "  42\u2192", "v1.2.3", "x_9", "0", "7", "12", "123", "1234", "(", "+", "-", ".",
        "/", ":", "_", "%", "#", "$", "=", "A", "Z", "DE", "Q9", "ab", "f", "\\t", "\u00e9", "\\u0040", "\\\\"};

    @Test
    void candidatesAndFindingsAgreeWithTheStringByStringScan() {
        Random r = new Random(31);
        int checkedOffsets = 0;
        int findings = 0;
        for (int round = 0; round < 300; round++) {
            byte[] body = randomBody(r, round);
            Work w = ENGINE.work();
            w.start(ALL, body);
            w.walker.walkWhole(body, body.length, null);
            Decoded d = w.walker.decoded;
            w.prefilter.run(d, w.walker.segments.count(), w.hits);
            long[] bits = w.candidateBits(d.length);
            if (!new PersonalData().markCandidates(d.bytes, d.length, bits)) {
                return; // no vector API or no 64-byte registers: the engine has each string read by the detector itself
            }
            for (int s = 0; s < w.walker.segments.count(); s++) {
                w.loadSegment(w.text, s);
                for (int i = 0; i < w.text.length(); i++) {
                    if (PersonalData.startsAt(w.text, i)) {
                        int j = d.start[s] + i;
                        assertThat(bits[j >>> 6] >>> j & 1).as("offset %d of string %d, round %d", i, s, round).isEqualTo(1L);
                    }
                    checkedOffsets++;
                }
            }
            List<Finding> fromCandidates = ENGINE.scan(body, body.length, 0, -1, ALL, null).findings();
            List<Finding> stringByString = stringByString(body);
            assertThat(fromCandidates).as("round %d", round).isEqualTo(stringByString);
            findings += stringByString.size();
        }
        assertThat(checkedOffsets).isGreaterThan(1_000_000);
        assertThat(findings).isGreaterThan(1_000);
    }

    /** The scan with every string read by the personal-data detector itself. */
    private static List<Finding> stringByString(byte[] body) {
        Work w = ENGINE.work();
        w.start(ALL, body);
        w.walker.walkWhole(body, body.length, null);
        w.prefilter.run(w.walker.decoded, w.walker.segments.count(), w.hits);
        ENGINE.process(w, false);
        return Overlaps.resolve(w.findings);
    }

    private static byte[] randomBody(Random r, int round) {
        StringBuilder json = new StringBuilder("{\"messages\":[");
        int strings = 1 + r.nextInt(12);
        for (int s = 0; s < strings; s++) {
            json.append(s > 0 ? "," : "").append("{\"role\":\"user\",\"content\":\"");
            int n = r.nextInt(round % 7 == 0 ? 3000 : round % 3 == 0 ? 40 : 300);
            for (int i = 0; i < n; i++) {
                json.append(WORDS[r.nextInt(WORDS.length)]);
            }
            json.append("\"}");
        }
        json.append("]}");
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCandidateAtEitherEndOfARegisterOrAStringIsKept() {
        for (int pad = 0; pad < 140; pad++) {
            String text = "x".repeat(pad) + " jane.doe@acme-corp.io 4539 1488 0343 6467 DE44500105175407324931";
            byte[] body = ("{\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"},{\"role\":\"user\",\"content\":\"+44 7911 123456\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            List<Finding> found = ENGINE.scan(body, body.length, 0, -1, ALL, null).findings();
            assertThat(found).as("pad %d", pad).isEqualTo(stringByString(body));
            assertThat(found.stream().map(Finding::rule).distinct().count()).as("pad %d", pad).isGreaterThanOrEqualTo(3);
        }
    }
}
