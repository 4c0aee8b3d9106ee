package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSearchTest {
    @Test
    void findsExactlyWhatANaiveSearchFinds() {
        Random r = new Random(3);
        for (int n = 0; n < 3_000; n++) {
            byte[] src = new byte[r.nextInt(80)];
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) "/ho/mh".charAt(r.nextInt(6));
            }
            byte[] pattern = (r.nextBoolean() ? "/h" : "/ho/m").getBytes(UTF_8);
            int anchor = r.nextInt(pattern.length - 1);
            int from = src.length == 0 ? 0 : r.nextInt(src.length);
            int to = from + r.nextInt(src.length - from + 1);
            List<Integer> expected = new ArrayList<>();
            for (int i = from; i + pattern.length <= to; i++) {
                if (java.util.Arrays.equals(src, i, i + pattern.length, pattern, 0, pattern.length)) {
                    expected.add(i);
                }
            }
            List<Integer> found = new ArrayList<>();
            ByteSearch.forEach(src, from, to, pattern, anchor, at -> found.add(at));
            assertThat(found).as("%s in [%d,%d) of %s", new String(pattern, UTF_8), from, to, new String(src, UTF_8)).isEqualTo(expected);
            assertThat(ByteSearch.indexOf(src, from, to, pattern, anchor)).isEqualTo(expected.isEmpty() ? -1 : expected.getFirst());
        }
    }
}
