package dev.sluice.sim;

import static dev.sluice.sim.SimHarness.events;
import static dev.sluice.sim.SimHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.sim.SimHarness.Event;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The agent loop Claude Code runs: ask to read a file, get a Read tool call, return its result, get an answer. */
class ToolUseTest {

    private static final SimHarness sim = SimHarness.start(SimOptions.defaults());

    private static final String TOOLS = """
            [{"name":"Read","description":"Reads a file","input_schema":{"type":"object",
               "properties":{"file_path":{"type":"string"},"offset":{"type":"integer"}},"required":["file_path"]}},
             {"name":"Bash","description":"Runs a command","input_schema":{"type":"object",
               "properties":{"command":{"type":"string"},"timeout":{"type":"number"},
               "mode":{"type":"string","enum":["fg","bg"]}},"required":["command","timeout","mode"]}}]""";

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void pathInTheUserTurnBecomesAStreamedReadToolCall() {
        String body = """
                {"model":"m","max_tokens":4096,"stream":true,"tools":%s,"messages":[{"role":"user","content":[
                  {"type":"text","text":"<system-reminder>cwd is /home/dev/project</system-reminder>"},
                  {"type":"text","text":"Please read /tmp/x/hello.txt."}]}]}""".formatted(TOOLS);
        List<Event> events = events(sim.post("/v1/messages", body).body());

        JsonNode block = events.get(1).data().path("content_block");
        assertThat(block.path("type").asText()).isEqualTo("tool_use");
        assertThat(block.path("name").asText()).isEqualTo("Read");
        assertThat(block.path("id").asText()).startsWith("toolu_");
        assertThat(block.path("input")).isEmpty();
        StringBuilder partialJson = new StringBuilder();
        events.stream().filter(e -> e.name().equals("content_block_delta")).forEach(e -> {
            assertThat(e.data().path("delta").path("type").asText()).isEqualTo("input_json_delta");
            partialJson.append(e.data().path("delta").path("partial_json").asText());
        });
        assertThat(json(partialJson.toString()).path("file_path").asText()).isEqualTo("/tmp/x/hello.txt");
        JsonNode messageDelta = events.get(events.size() - 2).data();
        assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(messageDelta.path("usage").path("output_tokens").asInt())
                .isEqualTo(Tokenizer.count("{\"file_path\":\"/tmp/x/hello.txt\"}"));
    }

    @Test
    void toolResultIsQuotedInTheFinalAnswer() {
        JsonNode first = json(sim.post("/v1/messages", """
                {"model":"m","max_tokens":4096,"tools":%s,
                 "messages":[{"role":"user","content":"What does /tmp/x/hello.txt say?"}]}""".formatted(TOOLS)).body());
        assertThat(first.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode toolUse = first.path("content").path(0);
        assertThat(toolUse.path("input").path("file_path").asText()).isEqualTo("/tmp/x/hello.txt");

        String followUp = """
                {"model":"m","max_tokens":4096,"tools":%s,"messages":[
                  {"role":"user","content":"What does /tmp/x/hello.txt say?"},
                  {"role":"assistant","content":[%s]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s",
                     "content":[{"type":"text","text":"     1→hello\\n     2→world\\n"}]}]}]}"""
                .formatted(TOOLS, toolUse, toolUse.path("id").asText());
        JsonNode answer = json(sim.post("/v1/messages", followUp).body());

        assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(answer.path("content").path(0).path("text").asText()).startsWith("I read the file. It says: hello ");
        assertThat(answer.path("usage").path("output_tokens").asInt()).isEqualTo(40);
    }

    @Test
    void stringToolResultWithTabNumberingIsQuotedToo() {
        String body = """
                {"model":"m","max_tokens":4096,"tools":%s,"messages":[
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"  1\\tgreetings"}]}]}"""
                .formatted(TOOLS);
        JsonNode answer = json(sim.post("/v1/messages", body).body());
        assertThat(answer.path("content").path(0).path("text").asText()).contains("It says: greetings");
    }

    @Test
    void withoutAReadToolAPathIsJustText() {
        JsonNode answer = json(sim.post("/v1/messages", """
                {"model":"m","max_tokens":100,"messages":[{"role":"user","content":"read /tmp/x/hello.txt"}]}""").body());
        assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(answer.path("content").path(0).path("type").asText()).isEqualTo("text");
    }

    @Test
    void simToolHeaderForcesACallWithSchemaBuiltInput() {
        String body = """
                {"model":"m","max_tokens":100,"tools":%s,"messages":[{"role":"user","content":"hi"}]}"""
                .formatted(TOOLS);
        JsonNode answer = json(sim.post("/v1/messages", body, SimHeaders.TOOL, "Bash").body());

        assertThat(answer.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode toolUse = answer.path("content").path(0);
        assertThat(toolUse.path("name").asText()).isEqualTo("Bash");
        assertThat(toolUse.path("input").path("command").asText()).isEqualTo("sim");
        assertThat(toolUse.path("input").path("timeout").asInt()).isEqualTo(1);
        assertThat(toolUse.path("input").path("mode").asText()).isEqualTo("fg");
        assertThat(toolUse.path("input").size()).isEqualTo(3);
    }

    /** {@code NAME;once}: a call in the user's turn, a text answer once the call's result is back (an agent loop ends). */
    @Test
    void aToolForcedOnceIsNotCalledAgainAfterItsResult() {
        String ask = """
                {"model":"m","max_tokens":100,"tools":%s,"messages":[{"role":"user","content":"hi"}]}""".formatted(TOOLS);
        JsonNode first = json(sim.post("/v1/messages", ask, SimHeaders.TOOL, "Bash;once").body());
        assertThat(first.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(first.at("/content/0/name").asText()).isEqualTo("Bash");

        String id = first.at("/content/0/id").asText();
        String answered = """
                {"model":"m","max_tokens":100,"tools":%s,"messages":[{"role":"user","content":"hi"},
                 {"role":"assistant","content":[{"type":"tool_use","id":"%s","name":"Bash","input":{"command":"sim"}}]},
                 {"role":"user","content":[{"type":"tool_result","tool_use_id":"%s","content":"done"}]}]}"""
                .formatted(TOOLS, id, id);
        JsonNode second = json(sim.post("/v1/messages", answered, SimHeaders.TOOL, "Bash;once").body());
        assertThat(second.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(second.at("/content/0/type").asText()).isEqualTo("text");
    }

    @Test
    void aToolChoiceThatForcesAToolIsAlwaysACallOfIt() {
        JsonNode named = json(sim.post("/v1/messages", """
                {"model":"m","max_tokens":4096,"tools":%s,"tool_choice":{"type":"tool","name":"Bash"},
                 "messages":[{"role":"user","content":"Hello."}]}""".formatted(TOOLS)).body());
        assertThat(named.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(named.at("/content/0/name").asText()).isEqualTo("Bash");
        assertThat(named.at("/content/0/input/mode").asText()).isEqualTo("fg");

        JsonNode any = json(sim.post("/v1/messages", """
                {"model":"m","max_tokens":4096,"tools":%s,"tool_choice":{"type":"any"},
                 "messages":[{"role":"user","content":"Hello."}]}""".formatted(TOOLS)).body());
        assertThat(any.at("/content/0/name").asText()).isEqualTo("Read");
    }

    @Test
    void anOutputFormatsSchemaIsAnsweredWithJsonThatFitsIt() {
        String schema = """
                {"type":"object","properties":{"city":{"type":"string"},"temperature":{"type":"number"}},
                 "required":["city","temperature"],"additionalProperties":false}""";
        for (String field : List.of("\"output_config\":{\"format\":{\"type\":\"json_schema\",\"schema\":%s}}",
                "\"output_format\":{\"type\":\"json_schema\",\"schema\":%s}")) {
            JsonNode answer = json(sim.post("/v1/messages", """
                    {"model":"m","max_tokens":4096,%s,"messages":[{"role":"user","content":"Weather?"}]}"""
                    .formatted(field.formatted(schema))).body());
            assertThat(answer.path("stop_reason").asText()).isEqualTo("end_turn");
            String text = answer.at("/content/0/text").asText();
            assertThat(json(text).path("city").asText()).isEqualTo("sim");
            assertThat(json(text).path("temperature").asInt()).isEqualTo(1);
            assertThat(answer.at("/usage/output_tokens").asInt()).isEqualTo(Tokenizer.count(text));
        }
    }
}
