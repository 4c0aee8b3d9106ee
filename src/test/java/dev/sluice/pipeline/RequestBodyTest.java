package dev.sluice.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RequestBodyTest {

    @Test
    void editsAtTheEdgesAndInTheMiddleAreAppliedInOrder() {
        RequestBody body = RequestBody.of("0123456789");
        body.insert(0, bytes("<"), "head");
        body.replace(2, 4, bytes("AB-"), "middle");
        body.delete(5, 6, "gone");
        body.insert(10, bytes(">"), "tail");
        assertThat(body.bytes().toString(UTF_8)).isEqualTo("<01AB-46789>");
        assertThat(body.editedLength()).isEqualTo(12);
        assertThat(body.original().toString(UTF_8)).isEqualTo("0123456789");
    }

    @Test
    void theSameEditedBufferCanBeReadAgainForASecondAttempt() {
        RequestBody body = RequestBody.of("{\"model\":\"a\"}");
        body.replace(9, 12, bytes("\"bb\""), "route: model");
        String first = body.bytes().toString(UTF_8);
        assertThat(body.bytes().getBytes()).isEqualTo(first.getBytes(UTF_8));
        assertThat(body.bytes().toString(UTF_8)).isEqualTo("{\"model\":\"bb\"}");
    }

    @Test
    void randomEditsMatchAPlainSplice() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] original = new byte[1 + random.nextInt(300)];
            random.nextBytes(original);
            RequestBody body = RequestBody.of(original);
            StringBuilder expected = new StringBuilder();
            int from = 0;
            int at = 0;
            while (at < original.length && random.nextInt(4) != 0) {
                int start = at + random.nextInt(Math.max(1, (original.length - at) / 3));
                if (start > original.length) {
                    break;
                }
                int end = Math.min(original.length, start + random.nextInt(5));
                byte[] with = new byte[random.nextInt(4)];
                random.nextBytes(with);
                body.replace(start, end, with, "edit " + start);
                expected.append(latin1(original, from, start)).append(latin1(with, 0, with.length));
                from = end;
                at = end + 1;
            }
            expected.append(latin1(original, from, original.length));
            assertThat(new String(body.bytes().getBytes(), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .isEqualTo(expected.toString());
            assertThat(body.editedLength()).isEqualTo(expected.length());
        }
    }

    @Test
    void overlappingEditsAreRefused() {
        RequestBody body = RequestBody.of("0123456789");
        body.replace(2, 5, bytes("x"), "first");
        assertThatThrownBy(() -> body.replace(4, 6, bytes("y"), "second"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("overlaps edit 'first'");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(UTF_8);
    }

    private static String latin1(byte[] b, int from, int to) {
        return new String(b, from, to - from, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
