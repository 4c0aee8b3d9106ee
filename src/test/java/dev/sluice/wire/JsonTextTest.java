package dev.sluice.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Ledger and audit lines: every string comes back from a JSON parser exactly as it went in. */
class JsonTextTest {
    @Test
    void plainAndEscapedValuesRoundTripThroughAParser() throws Exception {
        String[] values = {"", "claude-sonnet-4-5", "a\"b", "back\\slash", "line\nbreak\r\ttab", "\u0000\u001f\u007f",
                "\u2028sep\u2029", "ünïcødé 日本 😀", "\"", "end\\", "\n"};
        for (String v : values) {
            byte[] line = new JsonText(64).field("v", v).field("n", 42L).closedBytes();
            JsonNode parsed = Json.MAPPER.readTree(line);
            assertThat(parsed.get("v").asText()).as("value %s", v).isEqualTo(v);
            assertThat(parsed.get("n").asLong()).isEqualTo(42);
            // JavaScript line separators are escaped, so a line can be embedded in a script or log viewer safely.
            assertThat(new String(line, StandardCharsets.UTF_8)).doesNotContain("\u2028", "\u2029", "\n");
        }
    }
}
