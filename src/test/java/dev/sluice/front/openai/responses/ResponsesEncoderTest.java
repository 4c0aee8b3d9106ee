package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.core.ObjectMappers;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import io.vertx.core.buffer.Buffer;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoder's output judged by the official openai-java SDK's own types and its stream accumulator. */
class ResponsesEncoderTest {
    private static final String START = "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01A\",\"type\":\"message\",\"role\":"
            + "\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}";

    private static ResponsesEncoder encoder() {
        return new ResponsesEncoder("claude-sonnet-4-5", 1764412800L, ResponseEcho.NONE);
    }

    /** Bedrock's recorded tool-use stream (text, a tool call, cache reads and writes), with a ping first. */
    private static List<SseEvent> canonicalToolStream() throws Exception {
        try (InputStream in = ResponsesEncoderTest.class.getResourceAsStream("/providers/bedrock/stream-tool-use.jsonl")) {
            List<SseEvent> events = new ArrayList<>();
            events.add(CanonicalEvents.of("ping", "{\"type\":\"ping\"}"));
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip().split("\n")) {
                events.add(CanonicalEvents.of(line.substring(9, line.indexOf('"', 9)), line));
            }
            return events;
        }
    }

    private static SseEvent event(String json) {
        return CanonicalEvents.of(json.substring(9, json.indexOf('"', 9)), json);
    }

    /** Each SSE frame's data, checked to name its type on the event line and to carry the next sequence number. */
    private static List<JsonNode> frames(Buffer out) throws Exception {
        List<JsonNode> frames = new ArrayList<>();
        for (String frame : out.toString().split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String[] lines = frame.split("\n");
            assertThat(lines).hasSize(2);
            JsonNode data = Json.MAPPER.readTree(lines[1].substring("data: ".length()));
            assertThat(lines[0]).isEqualTo("event: " + data.path("type").asText());
            assertThat(data.path("sequence_number").asLong()).isEqualTo(frames.size());
            frames.add(data);
        }
        return frames;
    }

    private static List<String> types(List<JsonNode> frames) {
        return frames.stream().map(f -> f.path("type").asText()).toList();
    }

    private static Response accumulated(List<JsonNode> frames) throws Exception {
        ResponseAccumulator acc = ResponseAccumulator.createWithSnapshots();
        for (JsonNode f : frames) {
            acc.accumulate(ObjectMappers.jsonMapper().readValue(f.toString(), ResponseStreamEvent.class));
        }
        Response done = acc.response();
        done.validate();
        return done;
    }

    @Test
    void aStreamIsTheApisEventSequenceWithTextACallAndUsage() throws Exception {
        ResponsesEncoder encoder = encoder();
        Buffer out = Buffer.buffer();
        for (SseEvent e : canonicalToolStream()) {
            out.appendBuffer(encoder.events(List.of(e))); // one event at a time, as the relay hands them over
        }
        List<JsonNode> frames = frames(out);
        assertThat(types(frames)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        assertThat(frames.getFirst().at("/response/status").asText()).isEqualTo("in_progress");
        assertThat(frames.getFirst().at("/response/usage").isNull()).isTrue();
        assertThat(frames.get(2).at("/item/status").asText()).isEqualTo("in_progress");
        assertThat(frames.get(8).at("/item/call_id").asText()).isEqualTo("toolu_bdrk_01WbQ9");

        Response done = accumulated(frames);
        assertThat(done.id()).isEqualTo("resp_bdrk_01Hq8kV3yXbV2cQ7dKzW5n3L");
        assertThat(done.status()).contains(ResponseStatus.COMPLETED);
        assertThat(done.output().getFirst().message().orElseThrow().content().getFirst().outputText().orElseThrow().text())
                .isEqualTo("I'll read the file.");
        ResponseFunctionToolCall call = done.output().get(1).functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("toolu_bdrk_01WbQ9");
        assertThat(call.name()).isEqualTo("Read");
        assertThat(Json.MAPPER.readTree(call.arguments()).path("file_path").asText()).isEqualTo("/tmp/a.txt");
        var usage = done.usage().orElseThrow();
        assertThat(usage.inputTokens()).isEqualTo(12 + 2048 + 15360);
        assertThat(usage.inputTokensDetails().cachedTokens()).isEqualTo(15360);
        assertThat(usage.inputTokensDetails().cacheWriteTokens()).isEqualTo(2048);
        assertThat(usage.outputTokens()).isEqualTo(57);
        assertThat(usage.totalTokens()).isEqualTo(12 + 2048 + 15360 + 57);
    }

    @Test
    void theMaxTokensCapEndsTheStreamIncomplete() throws Exception {
        ResponsesEncoder encoder = encoder();
        Buffer out = encoder.events(List.of(event(START),
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hmm\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0}"),
                event("{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"text_delta\",\"text\":\"Once upon\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":1}"),
                event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},\"usage\":{\"output_tokens\":16}}"),
                event("{\"type\":\"message_stop\"}")));
        List<JsonNode> frames = frames(out);
        assertThat(types(frames).getLast()).isEqualTo("response.incomplete");
        assertThat(types(frames)).doesNotContain("response.completed");
        // The thinking block is a reasoning item (without a summary: the request set none), then the message.
        assertThat(types(frames).stream().filter(t -> t.equals("response.output_item.added")).count()).isEqualTo(2);
        JsonNode response = frames.getLast().path("response");
        assertThat(response.path("status").asText()).isEqualTo("incomplete");
        assertThat(response.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
        assertThat(response.at("/output/0/type").asText()).isEqualTo("reasoning");
        assertThat(response.at("/output/0/summary").size()).isZero();
        assertThat(response.at("/output/1/status").asText()).isEqualTo("incomplete");
        assertThat(response.at("/usage/output_tokens").asLong()).isEqualTo(16);
        assertThat(response.at("/output/1/content/0/text").asText()).isEqualTo("Once upon");
    }

    @Test
    void aToolWithoutArgumentsStillGivesJsonArguments() throws Exception {
        ResponsesEncoder encoder = encoder();
        List<JsonNode> frames = frames(encoder.events(List.of(event(START),
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"now\",\"input\":{}}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0}"),
                event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":5}}"),
                event("{\"type\":\"message_stop\"}"))));
        assertThat(frames.get(3).path("type").asText()).isEqualTo("response.function_call_arguments.delta");
        assertThat(frames.get(3).path("delta").asText()).isEqualTo("{}");
        assertThat(frames.get(4).path("arguments").asText()).isEqualTo("{}");
        assertThat(frames.get(4).path("name").asText()).isEqualTo("now");
        assertThat(accumulated(frames).output().getFirst().functionCall().orElseThrow().arguments()).isEqualTo("{}");
    }

    @Test
    void anUpstreamErrorMidStreamFailsTheResponseAndEndsIt() throws Exception {
        ResponsesEncoder encoder = encoder();
        Buffer out = encoder.events(List.of(event(START),
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hel\"}}"),
                event("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"lo\"}}")));
        List<JsonNode> frames = frames(out);
        assertThat(types(frames).getLast()).isEqualTo("response.failed");
        // The API's error event first: the openai SDK (and LangChain on it) throws on it; response.failed alone read
        // there as a stream that ended, and the cut answer as a whole one.
        JsonNode error = frames.get(frames.size() - 2);
        assertThat(error.path("type").asText()).isEqualTo("error");
        assertThat(error.path("code").asText()).isEqualTo("server_error");
        assertThat(error.path("message").asText()).isEqualTo("Overloaded");
        ResponseStreamEvent parsed = ObjectMappers.jsonMapper().readValue(error.toString(), ResponseStreamEvent.class);
        assertThat(parsed.isError()).isTrue();
        JsonNode response = frames.getLast().path("response");
        assertThat(response.path("status").asText()).isEqualTo("failed");
        assertThat(response.at("/error/code").asText()).isEqualTo("server_error");
        assertThat(response.at("/error/message").asText()).isEqualTo("Overloaded");
        assertThat(encoder.events(List.of(event("{\"type\":\"message_stop\"}"))).length()).isZero();
        assertThat(encoder.errorEvent(ApiError.invalidRequest("late")).length()).isZero();
    }

    @Test
    void theGatewaysOwnErrorContinuesTheSequence() throws Exception {
        ResponsesEncoder encoder = encoder();
        Buffer out = encoder.events(List.of(event(START)));
        out.appendBuffer(encoder.errorEvent(new ApiError(504, "timeout_error", "the upstream went silent", false, null)));
        List<JsonNode> frames = frames(out);
        assertThat(types(frames)).containsExactly("response.created", "response.in_progress", "error", "response.failed");
        assertThat(frames.getLast().at("/response/error/message").asText()).isEqualTo("the upstream went silent");
    }

    @Test
    void withoutAnEncoderTheGatewaysErrorIsTheApisErrorEvent() throws Exception {
        Buffer out = ResponsesProtocol.INSTANCE.errorEvent(new ApiError(504, "timeout_error", "the upstream went silent", false, null), "r1");
        JsonNode data = frames(out).getFirst();
        ResponseStreamEvent event = ObjectMappers.jsonMapper().readValue(data.toString(), ResponseStreamEvent.class);
        assertThat(event.isError()).isTrue();
        assertThat(event.asError().message()).isEqualTo("the upstream went silent");
        assertThat(event.asError().code()).contains("server_error");
    }

    @Test
    void aWholeAnswerIsAResponseObjectTheSdkReads() throws Exception {
        String message = "{\"id\":\"msg_01B\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":["
                + "{\"type\":\"thinking\",\"thinking\":\"x\",\"signature\":\"s\"},{\"type\":\"text\",\"text\":\"Let me check.\"},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"weather\",\"input\":{\"city\":\"Lisbon\"}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":20,\"cache_read_input_tokens\":100,\"output_tokens\":30}}";
        Buffer body = encoder().body(200, Buffer.buffer(message));
        JsonNode json = Json.MAPPER.readTree(body.getBytes());
        assertThat(json.has("output_text")).isFalse(); // an SDK convenience, not a field of the API's JSON
        Response r = ObjectMappers.jsonMapper().readValue(body.getBytes(), Response.class);
        r.validate();
        assertThat(r.id()).isEqualTo("resp_01B");
        assertThat(r.status()).contains(ResponseStatus.COMPLETED);
        assertThat(r.output()).hasSize(3);
        assertThat(r.output().get(0).reasoning().orElseThrow().summary()).isEmpty(); // no summary asked for
        assertThat(r.output().get(1).message().orElseThrow().content().getFirst().outputText().orElseThrow().text()).isEqualTo("Let me check.");
        ResponseFunctionToolCall call = r.output().get(2).functionCall().orElseThrow();
        assertThat(call.callId()).isEqualTo("toolu_9");
        assertThat(call.arguments()).isEqualTo("{\"city\":\"Lisbon\"}");
        assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(120);
        assertThat(r.usage().orElseThrow().inputTokensDetails().cachedTokens()).isEqualTo(100);
        assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(150);

        String capped = message.replace("\"stop_reason\":\"tool_use\"", "\"stop_reason\":\"max_tokens\"");
        JsonNode incomplete = Json.MAPPER.readTree(encoder().body(200, Buffer.buffer(capped)).getBytes());
        assertThat(incomplete.path("status").asText()).isEqualTo("incomplete");
        assertThat(incomplete.at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    }

    /** A call the model made to one of a namespace's tools goes back with the namespace and the name apart. */
    @Test
    void aCallToANamespacesToolIsGivenBackApart() throws Exception {
        byte[] request = ("{\"model\":\"m\",\"input\":\"Hi\",\"tools\":[{\"type\":\"namespace\",\"name\":\"multi_agent_v1\","
                + "\"description\":\"d\",\"tools\":[{\"type\":\"function\",\"name\":\"spawn_agent\"}]},"
                + "{\"type\":\"function\",\"name\":\"exec_command\"}]}").getBytes(StandardCharsets.UTF_8);
        String message = "{\"id\":\"msg_01N\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":["
                + "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"multi_agent_v1__spawn_agent\",\"input\":{}},"
                + "{\"type\":\"tool_use\",\"id\":\"toolu_2\",\"name\":\"exec_command\",\"input\":{}}],"
                + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":5,\"output_tokens\":5}}";
        ResponsesEncoder encoder = new ResponsesEncoder("m", 1L, ResponseEcho.of(request, request.length));
        JsonNode output = Json.MAPPER.readTree(encoder.body(200, Buffer.buffer(message)).getBytes()).path("output");
        assertThat(output.get(0).path("namespace").asText()).isEqualTo("multi_agent_v1");
        assertThat(output.get(0).path("name").asText()).isEqualTo("spawn_agent");
        assertThat(output.get(1).has("namespace")).isFalse();
        assertThat(output.get(1).path("name").asText()).isEqualTo("exec_command");
    }

    @Test
    void errorsAreInOpenAisEnvelope() throws Exception {
        Buffer body = encoder().body(429, Buffer.buffer("{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}"));
        JsonNode error = Json.MAPPER.readTree(body.getBytes()).path("error");
        assertThat(error.path("message").asText()).isEqualTo("slow down");
        assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    }

    @Test
    void theRequestsSettingsAreEchoedCompactEvenWhenSentPrettyPrinted() throws Exception {
        byte[] request = ("{\"model\":\"m\",\n  \"instructions\": \"Be brief.\",\n  \"tools\": [\n    {\"type\": \"function\",\n"
                + "     \"name\": \"f\", \"parameters\": {\"type\": \"object\"}, \"strict\": false}\n  ],\n  \"temperature\": 0.2,\n"
                + "  \"input\": \"Hi\"}").getBytes(StandardCharsets.UTF_8);
        ResponsesEncoder encoder = new ResponsesEncoder("m", 1L, ResponseEcho.of(request, request.length));
        Buffer out = encoder.events(List.of(event(START)));
        List<JsonNode> frames = frames(out); // one data line per frame: a line break in the echo would split it
        JsonNode response = frames.getFirst().path("response");
        assertThat(response.path("instructions").asText()).isEqualTo("Be brief.");
        assertThat(response.at("/tools/0/name").asText()).isEqualTo("f");
        assertThat(response.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(response.path("tool_choice").asText()).isEqualTo("auto");
        assertThat(response.path("store").asBoolean()).isFalse();
        ObjectMappers.jsonMapper().readValue(response.toString(), Response.class).validate();
    }
}
