package dev.sluice.cache.replay;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cache.Answers;
import dev.sluice.cache.entry.AnswerTemplater;
import dev.sluice.cache.entry.CacheEntry;
import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import dev.sluice.wire.SseEvent;
import dev.sluice.wire.StreamUsage;
import dev.sluice.wire.Usage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replays checked with the official Anthropic Java SDK's own stream accumulator. */
class ReplayTest {
    static final Bindings ALICE = Bindings.of(Map.of(Placeholder.WORKSPACE, "/home/alice/src/calc"));
    static final Bindings BOB = Bindings.of(Map.of(Placeholder.WORKSPACE, "/home/bob/calc"));
    static final Usage ORIGINAL = new Usage(1200, 80, 300, 5000, 300, 0, 0, 0);

    static CacheEntry streamEntry(List<SseEvent> events, Bindings b) {
        AnswerTemplater.Templated t = AnswerTemplater.stream(events, b);
        return new CacheEntry(CacheEntry.Form.STREAM, t.payload(), t.eventEnds(), "claude-opus-5-5", "tool_use", ORIGINAL,
                t.pins(), 1_000, 2_000);
    }

    static CacheEntry messageEntry(byte[] body, Bindings b) {
        AnswerTemplater.Templated t = AnswerTemplater.message(body, b);
        return new CacheEntry(CacheEntry.Form.MESSAGE, t.payload(), new int[0], "claude-opus-5-5", "tool_use", ORIGINAL,
                t.pins(), 1_000, 2_000);
    }

    static Message accumulate(List<SseEvent> events) throws Exception {
        MessageAccumulator acc = MessageAccumulator.create();
        for (SseEvent e : events) {
            acc.accumulate(ObjectMappers.jsonMapper().readValue(e.data(), RawMessageStreamEvent.class));
        }
        return acc.message();
    }

    @Test
    void aStreamReplaysAsTheSameEventsWithAFreshIdAndCachedUsage() throws Exception {
        List<SseEvent> live = Answers.stream("tool_use", Answers.thinking(), Answers.text("Reading /home/alice/src/calc/calc.py"),
                Answers.read("/home/alice/src/calc/calc.py"));
        List<SseEvent> replayed = Replay.events(streamEntry(live, ALICE), BOB, "msg_01Replayed");
        assertThat(replayed.getFirst().type()).isEqualTo("message_start");
        assertThat(replayed.getLast().type()).isEqualTo("message_stop");
        Message m = accumulate(replayed);
        assertThat(m.id()).isEqualTo("msg_01Replayed");
        assertThat(m.content().get(1).asText().text()).isEqualTo("Reading /home/bob/calc/calc.py");
        assertThat(m.content().get(2).asToolUse()._input().toString()).contains("/home/bob/calc/calc.py");
        assertThat(m.content().get(0).asThinking().signature()).isEqualTo("EuSignature0123456789");
        assertThat(m.usage().inputTokens()).isZero();
        assertThat(m.usage().cacheReadInputTokens()).contains(ORIGINAL.promptTokens());
        assertThat(m.usage().outputTokens()).isEqualTo(usageOf(live).outputTokens());
        // what a gateway meter reads from the replayed stream: nothing but cache reads and the output
        StreamUsage usage = new StreamUsage();
        replayed.forEach(e -> usage.onEvent(e.type(), e.raw(), e.dataStart(), e.dataLength()));
        assertThat(usage.usage().inputTokens()).isZero();
        assertThat(usage.usage().cacheReadInputTokens()).isEqualTo(6500);
        // events other than message_start, message_delta and path-carrying deltas keep the exact live bytes
        List<String> liveFrames = live.stream().map(e -> new String(e.raw(), UTF_8)).toList();
        for (SseEvent e : replayed) {
            String frame = new String(e.raw(), UTF_8);
            if (!e.type().startsWith("message_") && !frame.contains("/home/bob") && !frame.contains("\"tool_use\"")) {
                assertThat(liveFrames).contains(frame);
            }
        }
        // a fresh tool-use id per replay: one answer served twice into a conversation must not repeat an id
        String id = m.content().get(2).asToolUse().id();
        assertThat(id).startsWith("toolu_01").hasSize("toolu_01".length() + 22).isNotEqualTo("toolu_01AnswerTest000000001");
        assertThat(accumulate(Replay.events(streamEntry(live, ALICE), BOB, "msg_01Again")).content().get(2).asToolUse().id())
                .isNotEqualTo(id);
    }

    @Test
    void toolCallIdsAreFreshAndTheResultsInTheSameAnswerFollowThem() throws Exception {
        String original = """
                {"id":"msg_01Original0000000000","type":"message","role":"assistant","model":"claude-opus-5-5",
                 "content":[{"type":"server_tool_use","id":"srvtoolu_01Search000000000001","name":"web_search","input":{"query":"q"}},
                  {"type":"web_search_tool_result","tool_use_id":"srvtoolu_01Search000000000001","content":[]},
                  {"type":"text","text":"Found it."},
                  {"type":"tool_use","id":"toolu_01Read0000000000000001","name":"Read","input":{"file_path":"a.py"}}],
                 "stop_reason":"tool_use","stop_sequence":null,
                 "usage":{"input_tokens":10,"output_tokens":5,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}
                """;
        for (JsonNode content : List.of(
                Json.MAPPER.readTree(Replay.body(messageEntry(original.getBytes(UTF_8), ALICE), BOB, "msg_01Body")).get("content"),
                Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(
                        accumulate(Replay.events(messageEntry(original.getBytes(UTF_8), ALICE), BOB, "msg_01Sse")))).get("content"))) {
            String server = content.get(0).path("id").asText();
            assertThat(server).startsWith("srvtoolu_01").isNotEqualTo("srvtoolu_01Search000000000001");
            assertThat(content.get(1).path("tool_use_id").asText()).isEqualTo(server);
            assertThat(content.get(3).path("id").asText()).startsWith("toolu_01").isNotEqualTo("toolu_01Read0000000000000001");
            assertThat(content.get(2).path("text").asText()).isEqualTo("Found it.");
        }
    }

    /** Content with tool-use ids blanked: two replays of one answer differ only there. */
    private static JsonNode withoutToolIds(JsonNode content) {
        JsonNode copy = content.deepCopy();
        copy.forEach(b -> {
            if (b.path("type").asText().endsWith("tool_use")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) b).put("id", "toolu_X");
            }
        });
        return copy;
    }

    @Test
    void aStreamReplaysAsJsonAndAJsonBodyReplaysAsAStream() throws Exception {
        List<SseEvent> live = Answers.stream("tool_use", Answers.thinking(), Answers.text("Reading /home/alice/src/calc/calc.py"),
                Answers.read("/home/alice/src/calc/calc.py"));
        byte[] json = Replay.body(streamEntry(live, ALICE), BOB, "msg_01Json");
        JsonNode body = Json.MAPPER.readTree(json);
        assertThat(body.path("content").get(2).path("input").path("file_path").asText()).isEqualTo("/home/bob/calc/calc.py");
        assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
        assertThat(body.path("id").asText()).isEqualTo("msg_01Json");
        Message fromStream = accumulate(Replay.events(streamEntry(live, ALICE), BOB, "msg_01Json"));
        assertThat(withoutToolIds(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(fromStream)).get("content")))
                .isEqualTo(withoutToolIds(body.get("content")));

        byte[] original = Answers.message("tool_use", Answers.thinking(), Answers.text("Reading /home/alice/src/calc/calc.py"),
                Answers.read("/home/alice/src/calc/calc.py"));
        List<SseEvent> synthesized = Replay.events(messageEntry(original, ALICE), BOB, "msg_01Sse");
        Message m = accumulate(synthesized);
        JsonNode expected = Json.MAPPER.readTree(new String(original, UTF_8).replace("/home/alice/src/calc", "/home/bob/calc"));
        assertThat(withoutToolIds(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(m)).get("content")))
                .isEqualTo(withoutToolIds(expected.get("content")));
        assertThat(m.stopReason().orElseThrow().toString()).isEqualTo("tool_use");
        JsonNode replayedBody = Json.MAPPER.readTree(Replay.body(messageEntry(original, ALICE), BOB, "msg_01Body"));
        assertThat(withoutToolIds(replayedBody.get("content"))).isEqualTo(withoutToolIds(expected.get("content")));
        assertThat(MessageUsage.read(Replay.body(messageEntry(original, ALICE), BOB, "x")).cacheReadInputTokens()).isEqualTo(6500);
    }

    @Test
    void aRequesterWithoutTheValueCannotBeServed() {
        List<SseEvent> live = Answers.stream("end_turn", Answers.text("See /home/alice/src/calc/README.md"));
        assertThat(Replay.events(streamEntry(live, ALICE), Bindings.NONE, "x")).isNull();
        assertThat(Replay.body(streamEntry(live, ALICE), Bindings.NONE, "x")).isNull();
    }

    private static Usage usageOf(List<SseEvent> events) {
        StreamUsage u = new StreamUsage();
        events.forEach(e -> u.onEvent(e.type(), e.raw(), e.dataStart(), e.dataLength()));
        return u.usage();
    }
}
