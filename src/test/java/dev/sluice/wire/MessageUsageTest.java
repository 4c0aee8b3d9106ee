package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageUsageTest {

    @Test
    void readsTopLevelUsageAndIgnoresUsageInsideContent() {
        String body = "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-haiku-4-5-20251001\","
                + "\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"x\",\"input\":{\"usage\":{\"input_tokens\":999}}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":10,\"output_tokens\":20,"
                + "\"cache_creation_input_tokens\":30,\"cache_read_input_tokens\":40,"
                + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":10,\"ephemeral_1h_input_tokens\":20},"
                + "\"server_tool_use\":{\"web_search_requests\":1,\"web_fetch_requests\":2},\"service_tier\":\"standard\"}}";
        assertThat(MessageUsage.read(body.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Usage(10, 20, 30, 40, 10, 20, 1, 2));
    }

    @Test
    void nullCountsAndMissingUsageAreZero() {
        assertThat(MessageUsage.read(bytes("{\"usage\":{\"input_tokens\":5,\"cache_creation_input_tokens\":null}}")))
                .isEqualTo(Usage.of(5, 0));
        assertThat(MessageUsage.read(bytes("{\"type\":\"message\"}"))).isEqualTo(Usage.ZERO);
    }

    @Test
    void readsASliceOfABuffer() {
        byte[] b = bytes("xx{\"usage\":{\"output_tokens\":7}}yy");
        assertThat(MessageUsage.read(b, 2, b.length - 4).outputTokens()).isEqualTo(7);
    }

    /** An answer's buffer is read where it sits, from its reader index, not from its array's first byte. */
    @Test
    void readsAHeapBufferFromItsReaderIndex() {
        byte[] b = bytes("xx{\"model\":\"m1\",\"usage\":{\"input_tokens\":-3,\"output_tokens\":7}}yy");
        io.netty.buffer.ByteBuf heap = io.netty.buffer.Unpooled.wrappedBuffer(b, 2, b.length - 4);
        MessageUsage.Reading r = MessageUsage.reading(io.vertx.core.internal.buffer.BufferInternal.buffer(heap));
        assertThat(r.usage().outputTokens()).isEqualTo(7);
        assertThat(r.doubtful()).isTrue();
        assertThat(r.model()).isEqualTo("m1");
        io.netty.buffer.ByteBuf direct = io.netty.buffer.Unpooled.directBuffer().writeBytes(b, 2, b.length - 4);
        assertThat(MessageUsage.reading(io.vertx.core.internal.buffer.BufferInternal.buffer(direct)).usage().outputTokens())
                .isEqualTo(7);
    }

    @Test
    void brokenBodyIsAnErrorNotAZeroBill() {
        assertThatThrownBy(() -> MessageUsage.read(bytes("{\"usage\":{\"input_tokens\":")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> MessageUsage.read(bytes("[1]")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: a JSON object");
    }

    /** A count no upstream means is held at a stand-in (0, the whole part), and the reading says it is in doubt. */
    @Test
    void aNegativeOrFractionalCountIsDoubtful() {
        MessageUsage.Reading negative = MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":-1000,\"output_tokens\":50}}"));
        assertThat(negative.usage()).isEqualTo(Usage.of(0, 50));
        assertThat(negative.doubtful()).isTrue();
        MessageUsage.Reading fractional = MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":10.7,\"output_tokens\":5}}"));
        assertThat(fractional.usage()).isEqualTo(Usage.of(10, 5));
        assertThat(fractional.doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"cache_creation\":{\"ephemeral_1h_input_tokens\":-3}}}"))
                .doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":-100000000000000000000000}}")).doubtful())
                .isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":10.0,\"output_tokens\":5}}")).doubtful())
                .isFalse();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}")).doubtful())
                .isFalse();
    }

    /**
     * A hostile or broken upstream writing counts as strings or other types must not be billed a silent, exact zero:
     * a digit string counts, anything else is 0, and either way the reading is in doubt (the record is flagged).
     */
    @Test
    void aCountOfTheWrongTypeIsDoubtfulNeverASilentZero() {
        MessageUsage.Reading string = MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":\"5000\",\"output_tokens\":100}}"));
        assertThat(string.usage()).isEqualTo(Usage.of(5000, 100));
        assertThat(string.doubtful()).isTrue();
        MessageUsage.Reading word = MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":\"lots\",\"output_tokens\":100}}"));
        assertThat(word.usage()).isEqualTo(Usage.of(0, 100));
        assertThat(word.doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":\"99999999999999999999999\"}}")).usage().inputTokens())
                .isEqualTo(Long.MAX_VALUE);
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":true}}")).doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"output_tokens\":[7]}}")).doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"server_tool_use\":5}}")).doubtful()).isTrue();
        assertThat(MessageUsage.reading(bytes("{\"usage\":\"lots\"}")).doubtful()).isTrue();
        // null still means "not reported": OpenAI-compatible servers and Anthropic's own cache_creation send it
        assertThat(MessageUsage.reading(bytes("{\"usage\":{\"input_tokens\":5,\"cache_creation\":null,"
                + "\"cache_read_input_tokens\":null}}")).doubtful()).isFalse();
        assertThat(MessageUsage.reading(bytes("{\"usage\":null}")).doubtful()).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
