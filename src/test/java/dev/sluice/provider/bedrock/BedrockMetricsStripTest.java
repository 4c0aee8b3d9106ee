package dev.sluice.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link BedrockMetrics#without}: Bedrock's metrics member cut out, every other byte of the event as it came. */
class BedrockMetricsStripTest {
    private static String without(String json) {
        return new String(BedrockMetrics.without(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void theLastMemberGoesWithItsComma() {
        assertThat(without("{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":12,"
                + "\"outputTokenCount\":57,\"invocationLatency\":10,\"firstByteLatency\":5}}"))
                .isEqualTo("{\"type\":\"message_stop\"}");
    }

    @Test
    void aFirstOrMiddleMemberGoesAndTheRestKeepItsSpacing() {
        assertThat(without("{ \"amazon-bedrock-invocationMetrics\" : {\"a\":[1,{\"b\":\"}, \\\"x\\\"\"}]} ,\n \"type\" : \"message_stop\" }"))
                .isEqualTo("{ \"type\" : \"message_stop\" }");
        assertThat(without("{\"type\":\"message_stop\", \"amazon-bedrock-invocationMetrics\":{}, \"x\":[1, 2]}"))
                .isEqualTo("{\"type\":\"message_stop\", \"x\":[1, 2]}");
    }

    @Test
    void everyCopyGoes() {
        assertThat(without("{\"amazon-bedrock-invocationMetrics\":{},\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":1}"))
                .isEqualTo("{\"type\":\"message_stop\"}");
    }

    @Test
    void anEventWithoutThemIsTheSameBytes() {
        byte[] plain = "{\"type\":\"message_stop\" , \"x\":\"amazon-bedrock-invocationMetrics\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(BedrockMetrics.without(plain)).isSameAs(plain);
        byte[] broken = "{\"type\":\"message_stop\",\"amazon-bedrock-invocationMetrics\":{".getBytes(StandardCharsets.UTF_8);
        assertThat(BedrockMetrics.without(broken)).isSameAs(broken);
    }
}
