package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.translate.CanonicalEvents;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import dev.sluice.wire.SseEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An answer's items kept for its caller, and a later request's {@code item_reference}s read as those items: the
 * Vercel AI SDK's second step of a tool loop (its store defaults to true) sends the first step's reasoning and text by
 * id, the call and its output whole.
 */
class ItemReferenceTest {
    private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]";
    /** Claude's first step: it thinks, says a few words, calls the tool. */
    private static final String ANSWER = "{\"id\":\"msg_01A\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":["
            + "{\"type\":\"thinking\",\"thinking\":\"Check the weather.\",\"signature\":\"EqQBsig\"},"
            + "{\"type\":\"text\",\"text\":\"Let me check that.\"},"
            + "{\"type\":\"tool_use\",\"id\":\"toolu_01B\",\"name\":\"get_weather\",\"input\":{\"city\":\"Lisbon\"}}],"
            + "\"stop_reason\":\"tool_use\",\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}";
    /** The step's request as the SDK sends it: an effort, no include (it asks for sealed reasoning only with store false). */
    private static final String FIRST = "{\"model\":\"m\",\"reasoning\":{\"effort\":\"low\"}" + TOOLS + ",\"input\":\"Weather in Lisbon?\"}";

    private final ItemStore store = new ItemStore(new ItemStore.Bounds(Duration.ofHours(1), 100, 1 << 20, 1 << 20), System::nanoTime);

    private JsonNode answer(String request, String owner) throws Exception {
        byte[] body = request.getBytes(StandardCharsets.UTF_8);
        return Json.MAPPER.readTree(WholeResponse.fromMessage(ANSWER.getBytes(StandardCharsets.UTF_8), "m", 1L,
                ResponseEcho.of(body, body.length).forCaller(owner), store, owner));
    }

    /** The second step: the first step's reasoning and text by reference, the call and its output whole. */
    private static String second(String reasoningId, String messageId) {
        return "{\"model\":\"m\",\"reasoning\":{\"effort\":\"low\"}" + TOOLS + ",\"input\":["
                + "{\"role\":\"user\",\"content\":\"Weather in Lisbon?\"},"
                + "{\"type\":\"item_reference\",\"id\":\"" + reasoningId + "\"},"
                + "{\"type\":\"item_reference\",\"id\":\"" + messageId + "\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"toolu_01B\",\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Lisbon\\\"}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"toolu_01B\",\"output\":\"Sunny, 21C\"}]}";
    }

    /** @param limit the body limit, which the body and what its references bring in count against together */
    private JsonNode canonical(String request, String owner, long limit) throws Exception {
        byte[] body = request.getBytes(StandardCharsets.UTF_8);
        return Json.MAPPER.readTree(ResponsesRequest.translate(body, body.length, new ItemReferences(store, owner, limit, body.length))
                .canonical());
    }

    private ApiError refusal(String request, String owner, long limit) {
        return refusal(request, owner, limit, 400);
    }

    private ApiError refusal(String request, String owner, long limit, int status) {
        try {
            canonical(request, owner, limit);
        } catch (ApiError e) {
            assertThat(e.status()).isEqualTo(status);
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    @Test
    void aStoredAnswersItemsComeBackByReferenceWithTheThinkingBlockBeforeTheWordsAndTheCall() throws Exception {
        JsonNode first = answer(FIRST, "key:a");
        assertThat(first.path("store").asBoolean()).isTrue();
        JsonNode reasoning = first.at("/output/0");
        JsonNode message = first.at("/output/1");
        assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
        assertThat(reasoning.has("encrypted_content")).as("not included, not shown").isFalse();
        assertThat(message.path("type").asText()).isEqualTo("message");

        JsonNode c = canonical(second(reasoning.path("id").asText(), message.path("id").asText()), "key:a", 1 << 20);
        assertThat(c.at("/thinking/type").asText()).as("the loop keeps its thinking").isEqualTo("enabled");
        JsonNode assistant = c.at("/messages/1");
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.at("/content/0").toString())
                .isEqualTo("{\"type\":\"thinking\",\"thinking\":\"Check the weather.\",\"signature\":\"EqQBsig\"}");
        assertThat(assistant.at("/content/1").toString()).isEqualTo("{\"type\":\"text\",\"text\":\"Let me check that.\"}");
        assertThat(assistant.at("/content/2/type").asText()).isEqualTo("tool_use");
        assertThat(assistant.at("/content/2/input/city").asText()).isEqualTo("Lisbon");
        assertThat(c.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(c.path("messages")).hasSize(3);
    }

    @Test
    void aConversationWithReferencesIsTheSameCanonicalBodyAsTheOneSentWhole() throws Exception {
        // What the guard reads and the cache keys on: the items by reference, or the same items sent whole (as with
        // store: false and the sealed reasoning included), make one body.
        JsonNode first = answer(FIRST, "key:a");
        String reasoningId = first.at("/output/0/id").asText();
        String messageId = first.at("/output/1/id").asText();
        String byReference = second(reasoningId, messageId);
        String whole = byReference.replace("{\"type\":\"item_reference\",\"id\":\"" + reasoningId + "\"}", store.get("key:a", reasoningId))
                .replace("{\"type\":\"item_reference\",\"id\":\"" + messageId + "\"}", store.get("key:a", messageId));
        assertThat(whole).doesNotContain("item_reference");
        assertThat(canonical(byReference, "key:a", 1 << 20)).isEqualTo(canonical(whole, "key:a", 1 << 20));
    }

    @Test
    void anotherCallersReferenceIsRefusedExactlyLikeAnUnknownOne() throws Exception {
        JsonNode first = answer(FIRST, "key:a");
        String messageId = first.at("/output/1/id").asText();
        String reasoningId = first.at("/output/0/id").asText();
        ApiError foreign = refusal(second(reasoningId, messageId), "key:b", 1 << 20);
        ApiError unknown = refusal(second("rs_nothing_0", messageId), "key:b", 1 << 20);
        assertThat(foreign.getMessage()).startsWith("input.1.id: \"" + reasoningId + "\" is not an item this gateway keeps for this caller")
                .contains("expired").contains("another replica or key").contains("store: false");
        assertThat(foreign.getMessage().replace(reasoningId, "X")).isEqualTo(unknown.getMessage().replace("rs_nothing_0", "X"));
        // No caller known: nothing resolves.
        assertThat(refusal(second(reasoningId, messageId), null, 1 << 20).getMessage()).contains("is not an item this gateway keeps");
    }

    @Test
    void anAnswerMadeWithStoreFalseKeepsNothingAndSaysSo() throws Exception {
        JsonNode first = answer(FIRST.replace("{\"model\"", "{\"store\":false,\"model\""), null);
        assertThat(first.path("store").asBoolean()).isFalse();
        assertThat(store.size()).isZero();
        assertThat(refusal(second(first.at("/output/0/id").asText(), first.at("/output/1/id").asText()), "key:a", 1 << 20)
                .getMessage()).contains("is not an item this gateway keeps");
    }

    /**
     * The body and the items its references bring in count against the body limit together: at exactly the limit the
     * request passes, a byte under it is a 413 as for a body over the limit (before, references were held only to the
     * limit on their own, so a body just under the limit could bring in nearly as much again).
     */
    @Test
    void referencesCountAgainstTheBodyLimitWithTheBodyAndTheirIdsAreBounded() throws Exception {
        JsonNode first = answer(FIRST, "key:a");
        String reasoningId = first.at("/output/0/id").asText();
        String messageId = first.at("/output/1/id").asText();
        String many = second(reasoningId, messageId);
        long body = many.getBytes(StandardCharsets.UTF_8).length;
        long referenced = store.get("key:a", reasoningId).getBytes(StandardCharsets.UTF_8).length
                + store.get("key:a", messageId).getBytes(StandardCharsets.UTF_8).length;
        assertThat(canonical(many, "key:a", body + referenced).at("/messages/1/role").asText()).isEqualTo("assistant");
        ApiError over = refusal(many, "key:a", body + referenced - 1, 413);
        assertThat(over.type()).isEqualTo("request_too_large");
        assertThat(over.getMessage()).startsWith("input: the body (" + body + " bytes) and the items it sends by reference ("
                + referenced + " bytes so far) come to more than the gateway's body limit of " + (body + referenced - 1) + " bytes");
        refusal(many, "key:a", referenced, 413); // the references alone fit; with the body they do not
        String longId = "{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"" + "x".repeat(200) + "\"}]}";
        assertThat(refusal(longId, "key:a", 1 << 20).getMessage()).startsWith("input.0.id: expected the id of an output item");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\"}]}", "key:a", 1 << 20).getMessage())
                .startsWith("input.0.id: expected");
    }

    /** The refusal of an unknown id says how long items are kept, as configured. */
    @Test
    void theRefusalSaysHowLongItemsAreKept() {
        assertThat(ItemReferences.kept(store)).isEqualTo("1h");
        assertThat(ItemReferences.kept(null)).isEqualTo("1h");
        assertThat(ItemReferences.kept(new ItemStore(new ItemStore.Bounds(Duration.ofMinutes(90), 1, 1, 1), System::nanoTime))).isEqualTo("90m");
        assertThat(ItemReferences.kept(new ItemStore(new ItemStore.Bounds(Duration.ofSeconds(45), 1, 1, 1), System::nanoTime))).isEqualTo("45s");
        assertThat(refusal(second("rs_nothing_0", "msg_nothing_0"), "key:a", 1 << 20).getMessage()).contains("are kept for 1h, in the");
    }

    /** Referenced items are counted in the body limit's unit, UTF-8 bytes, whatever their characters. */
    @Test
    void referencedBytesAreCountedAsUtf8() {
        for (String text : List.of("", "plain", "h\u00e9llo", "\u65e5\u672c\u8a9e", "emoji \ud83d\ude00 and \u00e9", "\u07ff\u0800")) {
            assertThat(ItemReferences.utf8Length(text)).as(text).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void aStreamedAnswersItemsAreKeptWhenItEndsAndTheResponseSaysStoreTrue() throws Exception {
        ResponsesEncoder encoder = new ResponsesEncoder("m", 1L, ResponseEcho.of(FIRST.getBytes(), FIRST.length()), store, "key:a");
        List<SseEvent> events = List.of(
                event("{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01S\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\","
                        + "\"content\":[],\"usage\":{\"input_tokens\":10,\"output_tokens\":1}}}"),
                event("{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}"),
                event("{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me check.\"}}"),
                event("{\"type\":\"content_block_stop\",\"index\":0}"));
        String out = encoder.events(events).toString();
        assertThat(out).contains("\"store\":true");
        assertThat(store.size()).as("kept when the answer ends, not before").isZero();
        encoder.events(List.of(event("{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":5}}"),
                event("{\"type\":\"message_stop\"}")));
        String kept = store.get("key:a", "msg_01S_0");
        assertThat(Json.MAPPER.readTree(kept).at("/content/0/text").asText()).isEqualTo("Let me check.");
        assertThat(Json.MAPPER.readTree(kept).path("status").asText()).isEqualTo("completed");
    }

    private static SseEvent event(String json) {
        return CanonicalEvents.of(json.substring(9, json.indexOf('"', 9)), json);
    }
}
