package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.Hash128;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PromptPrefix#of} hashes all prefixes in one walk; each must still be exactly the hash of its own
 * definition (model, then every section before the breakpoint, markers left out), computed here from scratch
 * for each breakpoint, so the identities the re-read statistics hold keep matching.
 */
class PromptPrefixTest {
    @Test
    void oneWalkGivesEachPrefixTheHashOfItsOwnDefinition() {
        List<byte[]> bodies = new ArrayList<>();
        for (String capture : List.of("alice-turn1", "alice-turn2", "alice-turn3", "bob-turn3")) {
            bodies.add(Captures.body(capture));
        }
        bodies.add(Captures.demoBody());
        String text = new String(Captures.body("alice-turn3"), UTF_8);
        // a breakpoint on the tools too, and automatic caching at the top level, in the middle of the body
        bodies.add(text.replaceFirst("\"tools\":\\[\\{", "\"tools\":[{\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"},")
                .replaceFirst("\"messages\":", "\"cache_control\":{\"type\":\"ephemeral\"},\"messages\":").getBytes(UTF_8));
        bodies.add(BigBodies.claudeCode(200_000, "alice-turn3", "/home/alice/src/calc"));
        int checked = 0;
        for (byte[] body : bodies) {
            RequestKey key = PromptCacheHelpTest.key(body);
            List<PromptPrefix> prefixes = PromptPrefix.of(body, key);
            assertThat(prefixes).hasSameSizeAs(key.breakpoints());
            for (PromptPrefix p : prefixes) {
                assertThat(p.hash()).isEqualTo(fromScratch(body, key, p.breakpoint()));
                checked++;
            }
            for (int i = 1; i < prefixes.size(); i++) {
                assertThat(prefixes.get(i).bytes()).isGreaterThanOrEqualTo(prefixes.get(i - 1).bytes());
            }
        }
        assertThat(checked).isGreaterThan(15);
    }

    /** The definition, one breakpoint at a time. */
    private static String fromScratch(byte[] body, RequestKey key, Breakpoint b) {
        List<int[]> markers = new ArrayList<>();
        for (Breakpoint m : key.breakpoints()) {
            markers.add(Markers.memberRange(body, m));
        }
        markers.sort(Comparator.comparingInt(r -> r[0]));
        Hash128 h = KeySecret.fixed("prompt-prefix").newHash();
        byte[] model = (key.model() == null ? "" : key.model()).getBytes(UTF_8);
        h.update(model, 0, model.length);
        int order = PromptPrefix.order(b);
        for (int s = 0; s < 3 && s + 1 <= order; s++) {
            int start = key.sections()[2 * s];
            if (start < 0) {
                continue;
            }
            int end = s + 1 == order ? Math.min(key.sections()[2 * s + 1], b.prefixEnd()) : key.sections()[2 * s + 1];
            h.update((byte) (0x70 + s));
            for (int at = start; at < end; at++) { // byte by byte: a byte is hashed unless a marker covers it
                if (!covered(markers, at)) {
                    h.update(body[at]);
                }
            }
        }
        byte[] digest = new byte[16];
        h.finish(digest, 0);
        return HexFormat.of().formatHex(digest);
    }

    private static boolean covered(List<int[]> markers, int at) {
        for (int[] m : markers) {
            if (at >= m[0] && at < m[1]) {
                return true;
            }
        }
        return false;
    }
}
