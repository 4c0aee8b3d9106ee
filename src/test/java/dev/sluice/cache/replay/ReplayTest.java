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
            if (!e.type().startsWith("message_") && !frame.contains("/home/bob")) {
                assertThat(liveFrames).contains(frame);
            }
        }
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
        assertThat(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(fromStream)).get("content"))
                .isEqualTo(body.get("content"));

        byte[] original = Answers.message("tool_use", Answers.thinking(), Answers.text("Reading /home/alice/src/calc/calc.py"),
                Answers.read("/home/alice/src/calc/calc.py"));
        List<SseEvent> synthesized = Replay.events(messageEntry(original, ALICE), BOB, "msg_01Sse");
        Message m = accumulate(synthesized);
        JsonNode expected = Json.MAPPER.readTree(new String(original, UTF_8).replace("/home/alice/src/calc", "/home/bob/calc"));
        assertThat(Json.MAPPER.readTree(ObjectMappers.jsonMapper().writeValueAsString(m)).get("content")).isEqualTo(expected.get("content"));
        assertThat(m.stopReason().orElseThrow().toString()).isEqualTo("tool_use");
        JsonNode replayedBody = Json.MAPPER.readTree(Replay.body(messageEntry(original, ALICE), BOB, "msg_01Body"));
        assertThat(replayedBody.get("content")).isEqualTo(expected.get("content"));
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
