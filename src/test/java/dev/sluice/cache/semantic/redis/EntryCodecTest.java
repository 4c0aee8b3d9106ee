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
        EntryWindows w = EntryWindows.of(new WindowedVector(new float[] {0.6f, 0.8f}, new long[] {1, 2, 3, 4, 5, 6}, units));
        StoredEntry e = new StoredEntry("E", CodeIdentity.of("Why?"), new float[] {0.6f, 0.8f}, 7, w);
        Buffer encoded = EntryCodec.encode(new float[] {1f, 0f}, e);
        EntryWindows back = EntryCodec.decode("E", encoded).entry().windows();
        assertThat(back.hashes()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(back.dot(2, new float[] {0f, -1f})).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
        assertThat(back.dot(0, new float[] {0.6f, 0.8f})).isCloseTo(1f, org.assertj.core.data.Offset.offset(0.01f));
        assertThatThrownBy(() -> EntryCodec.decode("E", encoded.getBuffer(0, encoded.length() - 1)))
                .hasMessageContaining("truncated");
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
