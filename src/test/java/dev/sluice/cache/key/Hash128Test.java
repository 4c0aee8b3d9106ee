package dev.sluice.cache.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Hash128} gives the same result however its input is cut into updates, and the same as its definition. */
class Hash128Test {
    private static final KeySecret SECRET = KeySecret.fixed("hash128-test");

    @Test
    void pinnedValues() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 + 7);
        }
        assertThat(hex(SECRET.newHash(), data, 0)).isEqualTo(hex(Definition.of(SECRET), data, 0));
        assertThat(hex(SECRET.newHash(), data, 0)).isEqualTo("8ac897efcc219ed6059b75411ff189d4");
        assertThat(hex(SECRET.newHash(), data, 1000 - 13)).isEqualTo("b0af8a40c0e22b3bc80b59d4527c80d3");
        assertThat(hex(SECRET.newHash(), data, 1000)).isEqualTo("aa2b59d57cdd0db80a65acfe84856e3e");
    }

    @Test
    void anyCutOfTheInputGivesTheDefinitionsResult() {
        Random r = new Random(7);
        for (int round = 0; round < 3000; round++) {
            byte[] data = new byte[r.nextInt(round < 200 ? 40 : 600)];
            r.nextBytes(data);
            Hash128 h = SECRET.newHash();
            KeyHash copy = null;
            int copyAt = r.nextInt(data.length + 1);
            int at = 0;
            while (at < data.length) {
                int n = switch (r.nextInt(4)) {
                    case 0 -> 1;
                    case 1 -> r.nextInt(4);
                    case 2 -> r.nextInt(20);
                    default -> r.nextInt(200);
                };
                n = Math.min(n, data.length - at);
                if (n == 1 && r.nextBoolean()) {
                    h.update(data[at]);
                } else if (n <= 8 && r.nextBoolean()) {
                    long w = r.nextLong() << (n << 3); // noise above the n bytes, which the hash must ignore
                    for (int i = 0; i < n; i++) {
                        w &= ~(0xFFL << (i << 3));
                        w |= (data[at + i] & 0xFFL) << (i << 3);
                    }
                    h.update(w, n);
                } else {
                    byte[] framed = new byte[n + 9]; // the piece at an odd offset inside a larger array
                    System.arraycopy(data, at, framed, 5, n);
                    h.update(framed, 5, n);
                }
                at += n;
                if (copy == null && at >= copyAt) {
                    copy = h.copy();
                    byte[] rest = java.util.Arrays.copyOfRange(data, at, data.length);
                    copy.update(rest, 0, rest.length);
                }
            }
            byte[] want = digest(Definition.of(SECRET), data);
            byte[] got = new byte[16];
            h.finish(got, 0);
            assertThat(got).as("round %d, %d bytes", round, data.length).isEqualTo(want);
            if (copy != null) {
                byte[] fromCopy = new byte[16];
                copy.finish(fromCopy, 0);
                assertThat(fromCopy).as("copy, round %d", round).isEqualTo(want);
            }
        }
    }

    /** Two hashes fed in one pass end where each would alone, whatever each had pending and however long the piece. */
    @Test
    void updatingTwoHashesTogetherGivesEachItsOwnResult() {
        Random r = new Random(11);
        KeySecret other = KeySecret.fixed("hash128-test-other");
        for (int round = 0; round < 2000; round++) {
            byte[] headH = new byte[r.nextInt(40)];
            byte[] headG = new byte[r.nextInt(40)];
            byte[] data = new byte[r.nextInt(round < 500 ? 100 : 3000)];
            r.nextBytes(headH);
            r.nextBytes(headG);
            r.nextBytes(data);
            int off = data.length == 0 ? 0 : r.nextInt(data.length);
            int len = r.nextInt(data.length - off + 1);
            Hash128 h = SECRET.newHash();
            Hash128 g = other.newHash();
            Hash128 hAlone = SECRET.newHash();
            Hash128 gAlone = other.newHash();
            h.update(headH, 0, headH.length);
            hAlone.update(headH, 0, headH.length);
            g.update(headG, 0, headG.length);
            gAlone.update(headG, 0, headG.length);

            Hash128.updateBoth(h, g, data, off, len);
            hAlone.update(data, off, len);
            gAlone.update(data, off, len);
            h.update((byte) 1); // and both go on from a consistent state
            hAlone.update((byte) 1);

            assertThat(finished(h)).as("first, round %d", round).isEqualTo(finished(hAlone));
            assertThat(finished(g)).as("second, round %d", round).isEqualTo(finished(gAlone));
        }
    }

    private static byte[] finished(KeyHash h) {
        byte[] out = new byte[16];
        h.finish(out, 0);
        return out;
    }

    private static String hex(KeyHash h, byte[] data, int from) {
        h.update(data, from, data.length - from);
        byte[] out = new byte[16];
        h.finish(out, 0);
        return HexFormat.of().formatHex(out);
    }

    private static byte[] digest(KeyHash h, byte[] data) {
        h.update(data, 0, data.length);
        byte[] out = new byte[16];
        h.finish(out, 0);
        return out;
    }

    /**
     * The hash as defined, one block at a time from a whole buffer: the input in 16-byte little-endian blocks
     * (two words each), the last partial block zero-padded and folded with the total length in bytes.
     */
    private static final class Definition implements KeyHash {
        private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
        private final long[] k = new long[4];
        private final java.io.ByteArrayOutputStream input = new java.io.ByteArrayOutputStream();

        static Definition of(KeySecret secret) {
            Definition d = new Definition();
            Hash128 probe = secret.newHash(); // the words are private to the secret: recover them from two field reads
            try {
                for (int i = 0; i < 4; i++) {
                    var f = Hash128.class.getDeclaredField("k" + i);
                    f.setAccessible(true);
                    d.k[i] = f.getLong(probe);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            return d;
        }

        @Override
        public void update(byte value) {
            input.write(value);
        }

        @Override
        public void update(byte[] src, int off, int len) {
            input.write(src, off, len);
        }

        @Override
        public KeyHash copy() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void finish(byte[] out, int off) {
            byte[] data = input.toByteArray();
            long a = k[2];
            long b = k[3];
            int full = data.length / 16 * 16;
            for (int p = 0; p < full; p += 16) {
                long v0 = (long) LONG.get(data, p);
                long v1 = (long) LONG.get(data, p + 8);
                long na = fold(v0 ^ k[0], v1 ^ a, k[0]);
                b = fold(v1 ^ k[1], v0 ^ b, k[1]);
                a = na;
            }
            byte[] last = new byte[16];
            System.arraycopy(data, full, last, 0, data.length - full);
            long v0 = (long) LONG.get(last, 0);
            long v1 = (long) LONG.get(last, 8);
            long total = data.length;
            long x = fold(v0 ^ k[0], v1 ^ a ^ total, k[0]);
            long y = fold(v1 ^ k[1], v0 ^ b ^ Long.reverse(total), k[1]);
            long h0 = fold(x ^ k[2], y ^ k[3], k[0]);
            long h1 = fold(y ^ k[3], h0 ^ x ^ k[2], k[1]);
            LONG.set(out, off, h0);
            LONG.set(out, off + 8, h1);
        }

        private static long fold(long x, long y, long key) {
            long lo = x * y;
            long hi = Math.unsignedMultiplyHigh(x, y);
            return (lo ^ hi) + Long.rotateLeft(key, 17);
        }
    }
}
