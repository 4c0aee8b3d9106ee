package dev.sluice.guard.detect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.guard.Source;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Placeholder markers are found anywhere in a value, in any case, and only inside the range asked about. */
class ExamplesTest {
    private static Text text(String s) {
        Text t = new Text();
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        t.loadPlain(b, 0, b.length, 0, Source.USER);
        return t;
    }

    @Test
    void aMarkerIsFoundAtEveryOffsetInAnyCase() {
        for (String marker : new String[] {"example", "placeholder", "changeme", "<your", "0000000000", "......", "not_a_real"}) {
            for (int at = 0; at < 9; at++) {
                for (String written : new String[] {marker, marker.toUpperCase(java.util.Locale.ROOT)}) {
                    String value = "q7Zk#Lm9w".substring(0, at) + written + "R2v";
                    Text t = text(value);
                    assertThat(Examples.example(t, 0, t.length())).as(value).isTrue();
                }
            }
        }
    }

    @Test
    void weakMarkersCountOnlyForTheLooserTest() {
        for (String word : new String[] {"hunter2", "LetMeIn", "TODO", "Sample", "qwerty"}) {
            Text t = text("Zq8#" + word + "v3W");
            assertThat(Examples.example(t, 0, t.length())).as(word).isFalse();
            assertThat(Examples.placeholder(t, 0, t.length())).as(word).isTrue();
        }
    }

    @Test
    void aMarkerCutByTheEndOfTheRangeOrMissingIsNotFound() {
        Text t = text("q7Zk#Lm9wexampl" + "e");
        assertThat(Examples.example(t, 0, t.length() - 1)).isFalse();
        assertThat(Examples.example(t, 0, t.length())).isTrue();
        assertThat(Examples.example(t, 10, t.length())).as("range starts inside the marker").isFalse();
        Text random = text("q7Zk#Lm9wR2vB8nT\u00e9x");
        assertThat(Examples.placeholder(random, 0, random.length())).isFalse();
    }
}
