package dev.sluice.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.pipeline.RequestBody;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EditedBodyTest {

    @Test
    void anUneditedBodyIsForkedOverTheSameBytes() {
        RequestBody body = RequestBody.of("{\"model\":\"a\"}");
        RequestBody flat = EditedBody.flatten(body);
        assertThat(flat).isNotSameAs(body);
        assertThat(flat.array()).isSameAs(body.array());
        flat.replace(0, 1, "[".getBytes(StandardCharsets.UTF_8), "test");
        assertThat(body.edited()).isFalse(); // edits to the fork stay there
    }

    @Test
    void anEditedBodyBecomesItsAppliedBytesWithoutAnotherCopy() {
        RequestBody body = RequestBody.of("{\"model\":\"a\",\"x\":1}");
        body.replace(9, 12, "\"renamed\"".getBytes(StandardCharsets.UTF_8), "route: model");
        RequestBody flat = EditedBody.flatten(body);
        assertThat(flat.edited()).isFalse();
        assertThat(new String(flat.array(), 0, flat.length(), StandardCharsets.UTF_8)).isEqualTo("{\"model\":\"renamed\",\"x\":1}");
        assertThat(flat.bytes().toString(StandardCharsets.UTF_8)).isEqualTo(body.bytes().toString(StandardCharsets.UTF_8));
        assertThat(flat.array()).isSameAs(((io.vertx.core.internal.buffer.BufferInternal) body.bytes()).getByteBuf().array());
    }
}
