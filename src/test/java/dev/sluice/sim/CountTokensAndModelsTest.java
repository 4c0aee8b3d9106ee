package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class CountTokensAndModelsTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    private static final String RICH_BODY = """
            {"model":"m","max_tokens":50,
             "system":[{"type":"text","text":"You are a careful assistant."}],
             "tools":[{"name":"Read","input_schema":{"type":"object","properties":{"file_path":{"type":"string"}}}}],
             "messages":[
               {"role":"user","content":"look at /tmp/a.txt"},
               {"role":"assistant","content":[{"type":"thinking","thinking":"I should read it","signature":"s"},
                 {"type":"tool_use","id":"toolu_1","name":"Read","input":{"file_path":"/tmp/a.txt"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"     1→alpha"}]}]}""";

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void countTokensEqualsTheInputAMessageIsBilled() {
        HttpResponse<String> count = sim.post("/v1/messages/count_tokens?beta=true", RICH_BODY);
        assertThat(count.statusCode()).isEqualTo(200);
        int counted = json(count.body()).path("input_tokens").asInt();

        JsonNode usage = json(sim.post("/v1/messages", RICH_BODY).body()).path("usage");
        assertThat(counted).isPositive().isEqualTo(usage.path("input_tokens").asInt());

        int expected = Tokenizer.count("You are a careful assistant.")
                + Tokenizer.ofBytes(CanonicalJson.of(json(RICH_BODY).path("tools").path(0)).length)
                + Tokenizer.count("look at /tmp/a.txt")
                + Tokenizer.count("I should read it")
                + Tokenizer.count("Read") + Tokenizer.count("{\"file_path\":\"/tmp/a.txt\"}")
                + Tokenizer.count("     1→alpha");
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void countTokensNeedsNoMaxTokensButValidatesMessages() {
        assertThat(sim.post("/v1/messages/count_tokens",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"12345678\"}]}").body())
                .isEqualTo("{\"input_tokens\":2}");
        HttpResponse<String> invalid = sim.post("/v1/messages/count_tokens", "{\"model\":\"m\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid.body()).path("error").path("message").asText()).isEqualTo("messages: Field required");
    }

    @Test
    void modelsPageForwardAndBackWithCursors() {
        JsonNode all = json(sim.get("/v1/models").body());
        assertThat(all.path("has_more").asBoolean()).isFalse();
        List<String> ids = new ArrayList<>();
        all.path("data").forEach(model -> {
            assertThat(model.path("type").asText()).isEqualTo("model");
            assertThat(model.path("display_name").asText()).isNotBlank();
            assertThat(model.path("created_at").asText()).endsWith("Z");
            ids.add(model.path("id").asText());
        });
        assertThat(ids).hasSizeGreaterThanOrEqualTo(7);
        assertThat(all.path("first_id").asText()).isEqualTo(ids.getFirst());
        assertThat(all.path("last_id").asText()).isEqualTo(ids.getLast());

        JsonNode page1 = json(sim.get("/v1/models?limit=3").body());
        assertThat(page1.path("data")).hasSize(3);
        assertThat(page1.path("has_more").asBoolean()).isTrue();
        assertThat(page1.path("last_id").asText()).isEqualTo(ids.get(2));

        JsonNode page2 = json(sim.get("/v1/models?limit=3&after_id=" + ids.get(2)).body());
        assertThat(page2.path("first_id").asText()).isEqualTo(ids.get(3));
        assertThat(page2.path("last_id").asText()).isEqualTo(ids.get(5));

        JsonNode back = json(sim.get("/v1/models?limit=2&before_id=" + ids.get(3)).body());
        assertThat(back.path("first_id").asText()).isEqualTo(ids.get(1));
        assertThat(back.path("last_id").asText()).isEqualTo(ids.get(2));
        assertThat(back.path("has_more").asBoolean()).isTrue();

        JsonNode end = json(sim.get("/v1/models?after_id=" + ids.getLast()).body());
        assertThat(end.path("data")).isEmpty();
        assertThat(end.path("has_more").asBoolean()).isFalse();
        assertThat(end.get("first_id").isNull()).isTrue();
    }

    @Test
    void singleModelLookupAndErrors() {
        JsonNode model = json(sim.get("/v1/models/claude-sonnet-4-5-20250929").body());
        assertThat(model.path("id").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(model.path("type").asText()).isEqualTo("model");

        HttpResponse<String> missing = sim.get("/v1/models/claude-nonexistent");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing.body()).path("error").path("message").asText()).contains("claude-nonexistent");

        HttpResponse<String> badLimit = sim.get("/v1/models?limit=0");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(json(badLimit.body()).path("error").path("message").asText()).contains("limit: '0'");
    }
}
