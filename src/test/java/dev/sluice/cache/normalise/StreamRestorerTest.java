package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.cache.Captures;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StreamRestorerTest {
    /** Alice's values: workspace /home/alice/src/calc, home /home/alice, slug -home-alice-src-calc, git user Alice Example. */
    private static final StandIns ALICE = StandIns.of(UpstreamNormaliserTest.key(Captures.body("alice-turn1")).bindings());

    /** What the upstream writes, with the team's stand-ins in the places a model puts paths and names. */
    private static final String UPSTREAM = "/workspace/calc/calc.py defines add. See "
            + "/home/developer/.claude/projects/-workspace-calc/memory/MEMORY.md and /home/developer/notes;\n"
            + "/workspace/calc2 and x/workspace/calc are not the workspace. Team Developer committed it.\n"
            + "/home/developer/src/calc reads as her workspace once swapped back, so it stays.\n\t/workspace/calc";

    private static final String CLIENT = "/home/alice/src/calc/calc.py defines add. See "
            + "/home/alice/.claude/projects/-home-alice-src-calc/memory/MEMORY.md and /home/alice/notes;\n"
            + "/workspace/calc2 and x/workspace/calc are not the workspace. Alice Example committed it.\n"
            + "/home/developer/src/calc reads as her workspace once swapped back, so it stays.\n\t/home/alice/src/calc";

    @Test
    void aWholeTextIsRestored() {
        assertThat(new String(new TextRestorer(ALICE).restoreAll(UPSTREAM.getBytes(UTF_8)), UTF_8)).isEqualTo(CLIENT);
    }

    @Test
    void textCutInTwoAtEveryByteGivesTheSameText() {
        for (String kind : List.of("text", "thinking")) {
            byte[] all = UPSTREAM.getBytes(UTF_8);
            for (int i = 0; i <= all.length; i++) {
                List<String> pieces = List.of(new String(all, 0, i, UTF_8), new String(all, i, all.length - i, UTF_8));
                assertThat(clientText(kind, pieces)).as("%s cut at %d", kind, i).isEqualTo(CLIENT);
            }
        }
    }

    @Test
    void textCutInThreeAnywhereGivesTheSameText() {
        byte[] all = UPSTREAM.getBytes(UTF_8);
        for (int i = 0; i <= all.length; i += 1) {
            for (int j = i; j <= all.length; j += 3) {
                List<String> pieces = List.of(new String(all, 0, i, UTF_8), new String(all, i, j - i, UTF_8),
                        new String(all, j, all.length - j, UTF_8));
                assertThat(clientText("text", pieces)).as("cut at %d and %d", i, j).isEqualTo(CLIENT);
            }
        }
    }

    @Test
    void toolInputCutAtEveryByteIsRestoredAndStaysJson() throws Exception {
        String json = "{\"command\": \"grep -rn 'def ' /workspace/calc\\n/workspace/calc/x.py\", \"file_path\": \"/workspace/calc/calc.py\"}";
        byte[] all = json.getBytes(UTF_8);
        for (int i = 0; i <= all.length; i++) {
            String out = clientText("input_json", List.of(new String(all, 0, i, UTF_8), new String(all, i, all.length - i, UTF_8)));
            JsonNode input = Json.MAPPER.readTree(out);
            assertThat(input.get("file_path").asText()).as("cut at %d", i).isEqualTo("/home/alice/src/calc/calc.py");
            assertThat(input.get("command").asText()).isEqualTo("grep -rn 'def ' /home/alice/src/calc\n/home/alice/src/calc/x.py");
        }
    }

    @Test
    void aDeltaWithNothingToChangeGoesOutAsItsExactBytes() {
        StreamRestorer r = new StreamRestorer(ALICE);
        SseEvent plain = delta(0, "text", "The function adds two numbers.");
        assertThat(r.onEvent(plain)).containsExactly(plain);
        // only a possible stand-in at the end is held back: "/wor" could become "/workspace/calc"
        List<SseEvent> out = r.onEvent(delta(0, "text", "It lives in /wor"));
        assertThat(text(out)).isEqualTo("It lives in ");
        assertThat(text(r.onEvent(delta(0, "text", "kspace/calc/calc.py.")))).isEqualTo("/home/alice/src/calc/calc.py.");
    }

    @Test
    void whatIsHeldIsReleasedBeforeTheBlockEnds() {
        StreamRestorer r = new StreamRestorer(ALICE);
        assertThat(text(r.onEvent(delta(0, "text", "ends in /workspace/calc")))).isEqualTo("ends in ");
        List<SseEvent> out = r.onEvent(SseEvent.of("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}"));
        assertThat(out).hasSize(2);
        assertThat(text(out)).isEqualTo("/home/alice/src/calc");
        SseEvent joined = StreamRestorer.joined(out);
        assertThat(joined.type()).isEqualTo("content_block_stop");
        assertThat(joined.data()).isEqualTo("{\"type\":\"content_block_stop\",\"index\":0}");
        assertThat(new String(joined.raw(), UTF_8)).startsWith("event: content_block_delta\n").contains("\n\nevent: content_block_stop\n");
    }

    @Test
    void aHeldThinkingTailGoesOutBeforeItsSignature() {
        StreamRestorer r = new StreamRestorer(ALICE);
        assertThat(text(r.onEvent(delta(0, "thinking", "look in /home/dev")))).isEqualTo("look in ");
        SseEvent signature = SseEvent.of("content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"c2ln\"}}");
        List<SseEvent> out = r.onEvent(signature);
        assertThat(out).hasSize(2).endsWith(signature);
        assertThat(text(out)).isEqualTo("/home/dev");
    }

    /**
     * The provider signs thinking as it wrote it, with stand-ins. The client gets the developer's values; on the next
     * turn it sends them back, and what is forwarded must be exactly what was signed, for every way the stream was cut.
     */
    @Test
    void thinkingRoundTripsExactlyToWhatTheUpstreamSigned() throws Exception {
        byte[] all = UPSTREAM.getBytes(UTF_8);
        for (int i = 0; i <= all.length; i += 1) {
            String client = clientText("thinking", List.of(new String(all, 0, i, UTF_8), new String(all, i, all.length - i, UTF_8)));
            ObjectNode next = (ObjectNode) Json.MAPPER.readTree(Captures.body("alice-turn1"));
            ArrayNode messages = (ArrayNode) next.get("messages");
            ObjectNode assistant = messages.addObject().put("role", "assistant");
            ArrayNode content = assistant.putArray("content");
            content.addObject().put("type", "thinking").put("thinking", client).put("signature", "c2lnbmVkIG92ZXIgdGhlIHN0YW5kLWlucw");
            content.addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "Read")
                    .putObject("input").put("file_path", "/home/alice/src/calc/calc.py");
            messages.addObject().put("role", "user").putArray("content").addObject()
                    .put("type", "tool_result").put("tool_use_id", "toolu_1").put("content", "1\tdef add(a, b):");
            RequestBody body = RequestBody.of(Json.MAPPER.writeValueAsBytes(next));

            UpstreamNormaliser.Result r = UpstreamNormaliserTest.normalise(body);

            assertThat(r.outcome()).as("cut at %d", i).isEqualTo(Outcome.NORMALISED);
            JsonNode sent = Json.MAPPER.readTree(body.bytes().getBytes());
            JsonNode turn = sent.get("messages").get(sent.get("messages").size() - 2);
            assertThat(turn.get("content").get(0).get("thinking").asText()).as("cut at %d", i).isEqualTo(UPSTREAM);
            assertThat(turn.get("content").get(1).get("input").get("file_path").asText()).isEqualTo("/workspace/calc/calc.py");
        }
    }

    @Test
    void aWholeAnswerIsRestoredInItsRawBytes() throws Exception {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("id", "msg_1").put("type", "message");
        ArrayNode content = answer.putArray("content");
        content.addObject().put("type", "text").put("text", UPSTREAM);
        content.addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "Read")
                .putObject("input").put("file_path", "/workspace/calc/calc.py");
        byte[] restored = new StreamRestorer(ALICE).whole(Json.MAPPER.writeValueAsBytes(answer));
        JsonNode out = Json.MAPPER.readTree(restored);
        assertThat(out.get("content").get(0).get("text").asText()).isEqualTo(CLIENT);
        assertThat(out.get("content").get(1).get("input").get("file_path").asText()).isEqualTo("/home/alice/src/calc/calc.py");
    }

    /** Streams {@code pieces} as one block's deltas of {@code kind} and returns the text the client would assemble. */
    private static String clientText(String kind, List<String> pieces) {
        StreamRestorer r = new StreamRestorer(ALICE);
        List<SseEvent> out = new ArrayList<>();
        out.addAll(r.onEvent(SseEvent.of("content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{}}")));
        for (String p : pieces) {
            out.addAll(r.onEvent(delta(1, kind, p)));
        }
        out.addAll(r.onEvent(SseEvent.of("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}")));
        out.addAll(r.onEvent(SseEvent.of("message_stop", "{\"type\":\"message_stop\"}")));
        return text(List.of(StreamRestorer.joined(out)));
    }

    private static SseEvent delta(int index, String kind, String piece) {
        String type = kind + "_delta";
        String field = kind.equals("input_json") ? "partial_json" : kind;
        return StreamRestorer.deltaEvent(index, type, field, piece.getBytes(UTF_8));
    }

    /** The content pieces of every delta frame in these events, joined (frames split the way a client splits them). */
    private static String text(List<SseEvent> events) {
        StringBuilder sb = new StringBuilder();
        for (SseEvent e : events) {
            for (String frame : new String(e.raw(), UTF_8).split("\n\n")) {
                if (!frame.startsWith("event: content_block_delta\n")) {
                    continue;
                }
                try {
                    JsonNode delta = Json.MAPPER.readTree(frame.substring(frame.indexOf("data: ") + 6)).get("delta");
                    for (String f : List.of("text", "thinking", "partial_json")) {
                        if (delta.has(f)) {
                            sb.append(delta.get(f).asText());
                        }
                    }
                } catch (Exception x) {
                    throw new AssertionError(frame, x);
                }
            }
        }
        return sb.toString();
    }
}
