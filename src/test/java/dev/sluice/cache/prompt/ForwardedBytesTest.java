package dev.sluice.cache.prompt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import dev.sluice.cache.key.Breakpoint;
import dev.sluice.cache.key.KeyHash;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.normalise.UpstreamNormaliser;
import dev.sluice.pipeline.RequestBody;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link ForwardedBytes} feeds the body the provider reads (the edits applied, the markers left out), and the same
 * bytes however a walk cuts it into ranges: the single walk cuts at every breakpoint and block end of both hash
 * families, where each family alone cut at its own.
 */
class ForwardedBytesTest {
    @Test
    void anyCutOfANormalisedBodyFeedsTheBodyAsForwardedWithoutItsMarkers() {
        Random r = new Random(5);
        for (byte[] original : List.of(Captures.body("alice-turn1"), Captures.body("bob-turn3"),
                BigBodies.claudeCode(150_000, "alice-turn3", "/home/alice/src/calc"))) {
            RequestBody body = RequestBody.of(original);
            RequestKey key = PromptCacheHelpTest.key(original);
            assertThat(UpstreamNormaliser.apply(body, key).normalised()).isTrue();
            byte[] want = withoutMarkers(body, key);
            ForwardedBytes view = ForwardedBytes.of(body, key.breakpoints());
            for (int round = 0; round < 50; round++) {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                int from = 0;
                int fed = 0;
                while (from < original.length) {
                    int to = Math.min(original.length, from + 1 + r.nextInt(round < 10 ? 64 : 8000));
                    fed += view.feed(collecting(got), from, to);
                    from = to;
                }
                assertThat(got.toByteArray()).as("round %d", round).isEqualTo(want);
                assertThat(fed).isEqualTo(want.length);
            }
        }
    }

    /** A hash that only keeps what it is fed. */
    private static KeyHash collecting(ByteArrayOutputStream out) {
        return new KeyHash() {
            @Override
            public void update(byte value) {
                out.write(value);
            }

            @Override
            public void update(byte[] src, int off, int len) {
                out.write(src, off, len);
            }

            @Override
            public KeyHash copy() {
                throw new UnsupportedOperationException();
            }

            @Override
            public void finish(byte[] result, int off) {
                throw new UnsupportedOperationException();
            }
        };
    }

    /** The definition: the body with its edits and with each marker member replaced by nothing, as one more edit. */
    private static byte[] withoutMarkers(RequestBody edited, RequestKey key) {
        RequestBody body = RequestBody.of(edited.array());
        for (RequestBody.Edit e : edited.edits()) {
            body.replace(e.start(), e.end(), e.bytes(), e.reason());
        }
        for (Breakpoint b : key.breakpoints()) {
            int[] range = Markers.memberRange(edited.array(), b);
            body.replace(range[0], range[1], new byte[0], "marker");
        }
        return body.bytes().getBytes();
    }
}
