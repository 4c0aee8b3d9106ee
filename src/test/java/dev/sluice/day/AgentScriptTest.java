package dev.sluice.day;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.sim.SimOptions;
import dev.sluice.sim.SimServer;
import dev.sluice.sim.agent.AgentAnswer;
import dev.sluice.sim.agent.AgentBlock;
import dev.sluice.sim.agent.AgentScript;
import dev.sluice.wire.Json;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The deterministic agent: same meaningful content, same answer; paths from the request; tool results matter. */
class AgentScriptTest {

    private static final String WS = "/home/alice/src/calc";
    private static final String READ_RESULT = "     1\tdef add(a, b):\n     2\t    return a + b\n";

    @Test
    void firstTurnReadsTheFileInTheRequestsWorkspaceWithSeededIds() {
        AgentAnswer a = AgentScript.answer(request(WS, "Explain calc/arith.py.", null, "session-1"));
        AgentAnswer again = AgentScript.answer(request(WS, "Explain calc/arith.py.", null, "session-2"));
        assertThat(a.stopReason()).isEqualTo("tool_use");
        AgentBlock.ToolUse read = (AgentBlock.ToolUse) a.blocks().getLast();
        assertThat(read.name()).isEqualTo("Read");
        assertThat(read.input().path("file_path").asText()).isEqualTo(WS + "/calc/arith.py");
        assertThat(again).as("metadata is not meaningful content").isEqualTo(a);
        AgentAnswer bob = AgentScript.answer(request("/home/bob/calc", "Explain calc/arith.py.", null, "session-1"));
        assertThat(((AgentBlock.ToolUse) bob.blocks().getLast()).input().path("file_path").asText()).isEqualTo("/home/bob/calc/calc/arith.py");
        assertThat(bob.messageId()).isNotEqualTo(a.messageId());
    }

    @Test
    void answerDependsOnWhatTheToolReturned() {
        AgentAnswer a = AgentScript.answer(request(WS, "Explain calc/arith.py.", READ_RESULT, "s"));
        assertThat(a.stopReason()).isEqualTo("end_turn");
        assertThat(((AgentBlock.Text) a.blocks().getFirst()).text())
                .isEqualTo("`" + WS + "/calc/arith.py` has 2 lines. It defines `add`. It begins with `def add(a, b):`.");
        AgentAnswer changed = AgentScript.answer(request(WS, "Explain calc/arith.py.", READ_RESULT + "     3\tdef sub(a, b):\n", "s"));
        assertThat(((AgentBlock.Text) changed.blocks().getFirst()).text()).contains("`add`, `sub`");
    }

    @Test
    void unknownQuestionsGetHelpAndNoWorkspaceIsHandled() {
        assertThat(((AgentBlock.Text) AgentScript.answer(request(WS, "Write me a poem.", null, "s")).blocks().getFirst()).text())
                .startsWith("I can explain a file");
        ObjectNode bare = Json.MAPPER.createObjectNode().put("model", "m");
        bare.putArray("messages").addObject().put("role", "user").put("content", "hi");
        assertThat(AgentScript.answer(bare).stopReason()).isEqualTo("end_turn");
    }

    @Test
    void simulatorServesTheAgentAndBillsIt() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            SimServer sim = SimServer.start(vertx, SimOptions.defaults().withScript(SimOptions.SCRIPT_AGENT).withInstances(1)).await();
            ObjectNode body = request(WS, "Explain calc/arith.py.", null, "s");
            body.put("max_tokens", 1000).put("stream", true);
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/messages"))
                    .header("x-api-key", "sk-test").header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(AnswerContent.of(r.body())).isEqualTo("thinking: \ntext: I'll read `" + WS + "/calc/arith.py`.\n"
                    + "tool_use Read {\"file_path\":\"" + WS + "/calc/arith.py\"}\nstop: tool_use");
            assertThat(AnswerContent.messageId(r.body())).isEqualTo(AgentScript.answer(body).messageId());
            assertThat(sim.recorder().billed()).singleElement().satisfies(b -> {
                assertThat(b.inputTokens()).isPositive();
                assertThat(b.outputTokens()).isPositive();
            });
        } finally {
            vertx.close().await();
        }
    }

    /** A Claude-Code-shaped request: the working directory in a system message, then the question, then a Read. */
    private static ObjectNode request(String ws, String question, String readResult, String session) {
        ObjectNode r = Json.MAPPER.createObjectNode().put("model", "claude-opus-5-5");
        r.putObject("metadata").put("user_id", "{\"session_id\":\"" + session + "\"}");
        ArrayNode messages = r.putArray("messages");
        ArrayNode first = messages.addObject().put("role", "user").putArray("content");
        first.addObject().put("type", "text").put("text", "<system-reminder>Primary working directory: " + ws + "\n</system-reminder>");
        first.addObject().put("type", "text").put("text", question);
        if (readResult != null) {
            JsonNode turn0 = Json.MAPPER.valueToTree(AgentScript.answer(r.deepCopy()).blocks().getLast());
            ArrayNode assistant = messages.addObject().put("role", "assistant").putArray("content");
            assistant.addObject().put("type", "tool_use").put("id", turn0.path("id").asText()).put("name", "Read")
                    .set("input", turn0.path("input"));
            messages.addObject().put("role", "user").putArray("content").addObject().put("type", "tool_result")
                    .put("tool_use_id", turn0.path("id").asText()).put("content", readResult);
        }
        return r;
    }
}
