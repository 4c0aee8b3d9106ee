package dev.sluice.cache.semantic.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.cache.semantic.embed.WindowedVector;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import dev.sluice.cache.semantic.index.EntryWindows;
import dev.sluice.cache.semantic.index.StoredEntry;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** Shared entries carry their verification windows; values written before windows existed still decode. */
class EntryCodecTest {
    @Test
    void windowsRoundTrip() {
        float[][] units = {{0.6f, 0.8f}, {1f, 0f}, {0f, -1f}};
        EntryWindows w = EntryWindows.of(new WindowedVector(new float[] {0.6f, 0.8f}, new long[] {1, 2, 3, 4, 5, 6}, units,
                new float[] {9.5f, 12f, 20f}, new int[] {12, 8, 30}));
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("Why?"), new float[] {0.6f, 0.8f}, 7, w);
        Buffer encoded = EntryCodec.encode(new float[] {1f, 0f}, e);
        EntryWindows back = EntryCodec.decode("E", encoded).entry().windows();
        assertThat(back.hashes()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(back.dot(2, new float[] {0f, -1f})).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(back.dot(0, new float[] {0.6f, 0.8f})).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(back.norms()).containsExactly(9.5f, 12f, 20f);
        assertThat(back.lengths()).containsExactly((short) 12, (short) 8, (short) 30);
        float[] sum = new float[2];
        back.addSum(2, sum);
        assertThat(sum[1]).isCloseTo(-20f, org.assertj.core.data.Offset.offset(0.2f));
        assertThatThrownBy(() -> EntryCodec.decode("E", encoded.getBuffer(0, encoded.length() - 1)))
                .hasMessageContaining("truncated");
    }

    @Test
    void aFormatTwoValueDecodesWithWindowsThatCannotBeAligned_andTravelsOnAsFormatTwo() {
        float[][] units = {{0.6f, 0.8f}, {1f, 0f}};
        EntryWindows w = EntryWindows.of(new WindowedVector(new float[] {0.6f, 0.8f}, new long[] {1, 2, 3, 4}, units,
                new float[] {9.5f, 12f}, new int[] {12, 8}));
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("Why?"), new float[] {0.6f, 0.8f}, 7, w);
        Buffer v3 = EntryCodec.encode(new float[] {1f, 0f}, e);
        // Format 2 is format 3 without the 6 bytes (norm, length) after each window's codes.
        int windowsAt = v3.length() - 2 * (20 + 2 + 6) - 8;
        Buffer v2 = Buffer.buffer().appendByte((byte) 2).appendBuffer(v3.getBuffer(1, windowsAt + 8));
        for (int i = 0; i < 2; i++) {
            v2.appendBuffer(v3.getBuffer(windowsAt + 8 + i * 28, windowsAt + 8 + i * 28 + 22));
        }
        EntryWindows back = EntryCodec.decode("E", v2).entry().windows();
        assertThat(back.hashes()).containsExactly(1, 2, 3, 4);
        assertThat(back.alignable()).isFalse();
        Buffer again = EntryCodec.encode(new float[] {1f, 0f}, EntryCodec.decode("E", v2).entry());
        assertThat(again.getByte(0)).isEqualTo((byte) 2);
        assertThat(again).isEqualTo(v2);
    }

    @Test
    void aFormatOneValueDecodesWithoutWindows() {
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("Why?"), new float[] {1f}, 7);
        Buffer b = EntryCodec.encode(new float[] {1f}, e);
        Buffer v1 = Buffer.buffer().appendByte((byte) 1).appendBuffer(b.getBuffer(1, b.length() - 4));
        StoredEntry back = EntryCodec.decode("E", v1).entry();
        assertThat(back.windows()).isNull();
        assertThat(back.verifyVector()).containsExactly(1f);
    }
}
