package dev.sluice.wire.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.provider.openai.JsonSpans;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scan walks with the gateway's validating cursor: what it accepts, refuses and reports. */
class TopLevelFieldsCursorTest {

    private static TopLevelFields scan(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return TopLevelFields.scan(b, b.length);
    }

    @Test
    void escapedKeysAreDecodedAndSpansStayInBytes() {
        String json = "{\"mo\\u0064el\":\"m\", \"t\\\"q\" : [\"😀\\ud83d\\ude00\", {\"a\":null}] ,\"e\":\"\"}";
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        TopLevelFields f = TopLevelFields.scan(b, b.length);
        assertThat(f.fields()).extracting(TopLevelFields.Field::name).containsExactly("model", "t\"q", "e");
        assertThat(new String(f.value(f.find("t\"q")), StandardCharsets.UTF_8)).isEqualTo("[\"😀\\ud83d\\ude00\", {\"a\":null}]");
        assertThat(new String(f.value(f.find("e")), StandardCharsets.UTF_8)).isEqualTo("\"\"");
        TopLevelFields.Field t = f.find("t\"q");
        assertThat(b[t.next()]).isEqualTo((byte) '"'); // the next key's quote
        assertThat(f.find("e").next()).isEqualTo(f.objectEnd());
    }

    @Test
    void refusesInvalidJsonAnywhereInside() {
        for (String bad : List.of("{\"a\":[1,]}", "{\"a\":\"raw\ncontrol\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\" 1}",
                "{\"a\":1,}", "{a:1}", "{\"a\":{\"b\":1}")) {
            assertThatThrownBy(() -> scan(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("request body: not valid JSON");
        }
        byte[] invalidUtf8 = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertThatThrownBy(() -> TopLevelFields.scan(invalidUtf8, invalidUtf8.length)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> scan("[{}]")).hasMessage("request body: expected a JSON object");
        assertThatThrownBy(() -> scan("  ")).hasMessage("request body: expected a JSON object");
        assertThatThrownBy(() -> scan("[".repeat(300).replaceFirst("\\[", "{\"a\":"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nested deeper");
    }

    @Test
    void arraysOfObjectsInOnePass() {
        byte[] b = "{\"tools\":[ {\"name\":\"a\"} , 7, {\"name\":\"b\",\"x\":{}}, {} ]}".getBytes(StandardCharsets.UTF_8);
        List<TopLevelFields> tools = JsonSpans.objects(b, TopLevelFields.scan(b, b.length).find("tools"));
        assertThat(tools).hasSize(4);
        assertThat(tools.get(1)).isNull();
        assertThat(new String(tools.get(2).value(tools.get(2).find("name")), StandardCharsets.UTF_8)).isEqualTo("\"b\"");
        assertThat(tools.get(3).fields()).isEmpty();
        assertThat(b[tools.get(3).objectEnd()]).isEqualTo((byte) '}');
        byte[] empty = "{\"tools\":[ ]}".getBytes(StandardCharsets.UTF_8);
        assertThat(JsonSpans.objects(empty, TopLevelFields.scan(empty, empty.length).find("tools"))).isEmpty();
    }
}
