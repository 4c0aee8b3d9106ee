package dev.sluice.wire.body;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopLevelFieldsTest {

    private static String apply(String json, Set<String> drop, String setName, String setValue) {
        RequestBody body = RequestBody.of(json);
        FieldEdits plan = FieldEdits.dropping(drop);
        if (setName != null) {
            plan.set(setName, setValue);
        }
        plan.applyTo(body, TopLevelFields.scan(body.array(), body.length()), "test");
        return body.bytes().toString(StandardCharsets.UTF_8);
    }

    @Test
    void spansCoverKeysAndValuesExactly() {
        byte[] json = "{ \"a\" : 1 , \"b\":{\"x\":[1,2]},\"c\":\"s\\\"q\"  }".getBytes(StandardCharsets.UTF_8);
        TopLevelFields f = TopLevelFields.scan(json, json.length);
        assertThat(f.fields()).extracting(TopLevelFields.Field::name).containsExactly("a", "b", "c");
        assertThat(new String(f.value(f.find("a")), StandardCharsets.UTF_8)).isEqualTo("1");
        assertThat(new String(f.value(f.find("b")), StandardCharsets.UTF_8)).isEqualTo("{\"x\":[1,2]}");
        assertThat(new String(f.value(f.find("c")), StandardCharsets.UTF_8)).isEqualTo("\"s\\\"q\"");
        assertThat(json[f.find("a").keyStart()]).isEqualTo((byte) '"');
        assertThat(json[f.objectEnd()]).isEqualTo((byte) '}');
    }

    @Test
    void multiByteTextBeforeAFieldKeepsOffsetsInBytes() {
        byte[] json = "{\"t\":\"héllo 日本\",\"model\":\"m\"}".getBytes(StandardCharsets.UTF_8);
        TopLevelFields f = TopLevelFields.scan(json, json.length);
        assertThat(new String(f.value(f.find("model")), StandardCharsets.UTF_8)).isEqualTo("\"m\"");
    }

    @Test
    void dropsFirstMiddleLastAndRunsInAnyOrder() throws Exception {
        String json = "{\"model\":\"m\",\"a\":1,\"stream\":true,\"tags\":{},\"b\":2,\"model2\":3}";
        for (Set<String> drop : java.util.List.of(Set.of("model"), Set.of("stream", "tags"), Set.of("model2"),
                Set.of("b", "model2"), Set.of("model", "a"), Set.of("model", "a", "stream", "tags", "b"))) {
            String out = apply(json, drop, "anthropic_version", "\"v\"");
            var tree = Json.MAPPER.readTree(out);
            assertThat(tree.has("anthropic_version")).isTrue();
            for (String name : java.util.List.of("model", "a", "stream", "tags", "b", "model2")) {
                assertThat(tree.has(name)).as(out).isEqualTo(!drop.contains(name));
            }
        }
    }

    @Test
    void droppingEveryFieldLeavesOnlyTheInsertedOnes() throws Exception {
        String out = apply("{\"model\":\"m\", \"stream\":true}", Set.of("model", "stream"), "v", "1");
        assertThat(out).isEqualTo("{\"v\":1}");
        assertThat(apply("{\"model\":\"m\"}", Set.of("model"), null, null)).isEqualTo("{}");
    }

    @Test
    void setReplacesAnExistingValueInPlace() {
        assertThat(apply("{\"a\":1,\"anthropic_version\":\"old\",\"b\":2}", Set.of(), "anthropic_version", "\"new\""))
                .isEqualTo("{\"a\":1,\"anthropic_version\":\"new\",\"b\":2}");
    }

    @Test
    void emptyObjectAndWhitespace() {
        assertThat(apply(" { } ", Set.of("model"), "x", "1")).isEqualTo(" {\"x\":1 } ");
    }

    @Test
    void refusesWhatIsNotAnObject() {
        assertThatThrownBy(() -> TopLevelFields.scan("[1]".getBytes(), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopLevelFields.scan("{\"a\":".getBytes(), 5)).isInstanceOf(IllegalArgumentException.class);
    }
}
