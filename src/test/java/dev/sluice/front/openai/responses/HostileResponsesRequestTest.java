package dev.sluice.front.openai.responses;

import static dev.sluice.front.openai.responses.ResponsesRequestTest.canonical;
import static dev.sluice.front.openai.responses.ResponsesRequestTest.refusal;
import static dev.sluice.front.openai.responses.ResponsesRequestTest.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import org.junit.jupiter.api.Test;

/**
 * Responses bodies an attacker (or a broken client) sends: a field given twice at any depth, bodies built to cost the
 * translation far more than their size, JSON that is not quite JSON, refusals that would echo too much.
 */
class HostileResponsesRequestTest {
    private static String repeat(String item, int n) {
        StringBuilder sb = new StringBuilder(item.length() * n + n);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append(item);
        }
        return sb.toString();
    }

    @Test
    void aFieldGivenTwiceIsRefusedWhereverItIs() {
        assertThat(refusal("{\"model\":\"a\",\"model\":\"b\",\"input\":\"Hi\"}").getMessage())
                .isEqualTo("model: given twice (expected: each field once)");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"role\":\"system\",\"content\":\"x\"}]}").getMessage())
                .isEqualTo("input.0.role: given twice (expected: each field once)");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"a\","
                + "\"text\":\"b\"}]}]}").getMessage()).isEqualTo("input.0.content.0.text: given twice (expected: each field once)");
        assertThat(refusal(with("\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"type\":\"string\"}}]"))
                .getMessage()).isEqualTo("tools.0.parameters.type: given twice (expected: each field once)");
        assertThat(refusal(with("\"reasoning\":{\"effort\":\"none\",\"effort\":\"high\"}")).getMessage())
                .isEqualTo("reasoning.effort: given twice (expected: each field once)");
    }

    @Test
    void manyTinyValuesAreA400NotAHeapOfNodes() {
        // 300,000 one-letter parts: 8 MB on the wire, hundreds of MB as trees.
        String body = "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
                + repeat("{\"type\":\"input_text\",\"text\":\"p\"}", 300_000) + "]}]}";
        assertThat(refusal(body).getMessage()).startsWith("request body: more than 250000 JSON values");
        // Each arguments string is one value on the wire and a whole tree once parsed: charged to the same budget.
        String args = Json.MAPPER.createArrayNode().add("[" + repeat("1", 60_000) + "]").get(0).toString();
        String hidden = "{\"model\":\"m\",\"input\":["
                + repeat("{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":" + args + "}", 5)
                + ",{\"role\":\"user\",\"content\":\"x\"}]}";
        assertThat(refusal(hidden).getMessage()).startsWith("request body: more than 250000 JSON values");
    }

    @Test
    void aLongRealConversationStillTranslates() {
        String turn = "{\"role\":\"user\",\"content\":\"" + "word ".repeat(200) + "\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"shell\",\"arguments\":\"{\\\"cmd\\\":[\\\"ls\\\",\\\"-la\\\"]}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"" + "line\\n".repeat(100) + "\"}";
        JsonNode c = canonical("{\"model\":\"m\",\"input\":[" + repeat(turn, 2_000) + "]}");
        assertThat(c.path("messages").size()).isEqualTo(4_001); // each user text joins the results before it
    }

    @Test
    void notQuiteJsonIsRefused() {
        assertThat(refusal("{\"model\":\"m\",\"input\":\"Hi\"} {\"x\":1}").getMessage()).startsWith("request body: not valid JSON");
        assertThat(refusal("{\"model\":\"m\",\"input\":\"Hi\",}").getMessage()).startsWith("request body: not valid JSON");
        assertThat(refusal("{\"model\":\"m\",/*c*/\"input\":\"Hi\"}").getMessage()).startsWith("request body: not valid JSON");
        assertThat(refusal("[1]").getMessage()).isEqualTo("request body: expected a JSON object");
        assertThat(refusal("{\"model\":\"m\",\"input\":" + "[".repeat(300) + "]".repeat(300) + "}").getMessage())
                .startsWith("request body: not accepted");
    }

    @Test
    void aLoneSurrogateInTextIsCarriedAsTheClientEscapedIt() {
        JsonNode c = canonical("{\"model\":\"m\",\"input\":\"a\\ud800b\"}");
        assertThat(c.at("/messages/0/content/0/text").asText()).isEqualTo("a\ud800b");
    }

    @Test
    void whatARefusalEchoesIsBounded() {
        String huge = "x".repeat(100_000);
        assertThat(refusal(with("\"truncation\":\"" + huge + "\"")).getMessage().length()).isLessThan(400);
        assertThat(refusal(with("\"" + huge + "\":1")).getMessage().length()).isLessThan(400);
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"" + huge + "\"}]}").getMessage().length()).isLessThan(400);
        assertThat(refusal(with("\"metadata\":{" + repeat("\"k%d\":\"v\"", 1).formatted(0) + ",\"" + huge + "\":\"v\"}")).getMessage().length())
                .isLessThan(400);
        String many = with("\"metadata\":{" + java.util.stream.IntStream.range(0, 17).mapToObj(i -> "\"k" + i + "\":\"v\"")
                .collect(java.util.stream.Collectors.joining(",")) + "}");
        assertThat(refusal(many).getMessage()).startsWith("metadata: expected at most 16 pairs");
        assertThat(refusal(with("\"metadata\":{\"k\":\"" + "v".repeat(513) + "\"}")).getMessage())
                .startsWith("metadata.k: expected a string of at most 512");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"" + huge
                + "\",\"name\":\"f\",\"arguments\":\"{}\"}]}").getMessage()).startsWith("input.0.call_id: expected a non-empty string of at most");
    }

    /** Old code: 2^64 + 100 read as 100 (asLong wraps) while the answer echoed the client's number. */
    @Test
    void aCapPastALongIsRefusedNotWrapped() {
        assertThat(refusal(with("\"max_output_tokens\":18446744073709551716")).getMessage())
                .startsWith("max_output_tokens: expected an integer from 1 to 2147483647");
    }

    /** Old code: 1e400 read as infinity and went upstream as top_p "Infinity" (a string); temperature 1e400 became 1. */
    @Test
    void samplingSettingsAreFiniteAndWithinOpenAisRanges() {
        assertThat(refusal(with("\"top_p\":1e400")).getMessage()).startsWith("top_p: expected a number from 0 to 1");
        assertThat(refusal(with("\"top_p\":-0.5")).getMessage()).startsWith("top_p: expected a number from 0 to 1");
        assertThat(refusal(with("\"temperature\":1e400")).getMessage()).startsWith("temperature: expected a number from 0 to 2");
        assertThat(canonical(with("\"temperature\":2,\"top_p\":1")).path("top_p").asDouble()).isEqualTo(1.0);
    }

    /** Old code: these names reached the upstream as tool names and were refused there, in its words. */
    @Test
    void toolNamesTheUpstreamWouldRefuseAreRefusedAtTheDoor() {
        assertThat(refusal(with("\"tools\":[{\"type\":\"function\",\"name\":\"a b/c\"}]")).getMessage())
                .startsWith("tools.0.name: expected a name of letters, digits, _ or -");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c1\",\"namespace\":\"e v i l\","
                + "\"name\":\"f\",\"arguments\":\"{}\"},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"ok\"}]}")
                .getMessage()).startsWith("input.0.namespace: expected a tool name");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"a/b\","
                + "\"arguments\":\"{}\"},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"ok\"}]}")
                .getMessage()).startsWith("input.0.name: expected a tool name");
        assertThat(canonical("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c1\",\"namespace\":\"multi_agent\","
                + "\"name\":\"spawn-1\",\"arguments\":\"{}\"},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":\"ok\"}]}")
                .at("/messages/0/content/0/name").asText()).isEqualTo("multi_agent__spawn-1");
    }

    /** Old code: the text between data: and ;base64 went upstream as the media type, whatever it was. */
    @Test
    void aDataUrlsMediaTypeIsATypeAndSubtype() {
        String image = "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":%s}]}]}";
        assertThat(refusal(image.formatted("\"data:;base64,AAAA\"")).getMessage())
                .startsWith("input.0.content.0.image_url: expected data:<type>/<subtype>;base64");
        assertThat(refusal(image.formatted("\"data:text/html\\\"x;base64,AAAA\"")).getMessage())
                .startsWith("input.0.content.0.image_url: expected data:<type>/<subtype>;base64");
        assertThat(canonical(image.formatted("\"data:image/svg+xml;base64,AAAA\"")).at("/messages/0/content/0/source/media_type")
                .asText()).isEqualTo("image/svg+xml");
        assertThat(canonical(image.formatted("\"data:image/png;name=a.png;base64,AAAA\"")).at("/messages/0/content/0/source/media_type")
                .asText()).isEqualTo("image/png");
    }

    /** Old code: each of these sent Anthropic an empty text block, which it refuses ("text content blocks must be non-empty"). */
    @Test
    void emptyTextsAreLeftOutNotSentAsEmptyBlocks() {
        assertThat(refusal("{\"model\":\"m\",\"input\":\"\"}").getMessage())
                .isEqualTo("input: at least one user or assistant message is required");
        JsonNode c = canonical("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"\"},"
                + "{\"type\":\"input_text\",\"text\":\"Hi\"}]},{\"type\":\"function_call\",\"call_id\":\"c1\",\"name\":\"f\","
                + "\"arguments\":\"{}\"},{\"type\":\"function_call_output\",\"call_id\":\"c1\",\"output\":[{\"type\":\"input_text\","
                + "\"text\":\"\"}]}]}");
        assertThat(c.at("/messages/0/content").size()).isEqualTo(1);
        assertThat(c.at("/messages/0/content/0/text").asText()).isEqualTo("Hi");
        assertThat(c.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(c.at("/messages/2/content/0").has("content")).isFalse();
    }

    private static String call(String id) {
        return "{\"type\":\"function_call\",\"call_id\":\"" + id + "\",\"name\":\"f\",\"arguments\":\"{}\"}";
    }

    private static String output(String id) {
        return "{\"type\":\"function_call_output\",\"call_id\":\"" + id + "\",\"output\":\"ok\"}";
    }

    /** Old code: each went upstream as a tool_result without its tool_use, for the upstream to refuse. */
    @Test
    void anOutputMustAnswerACallBeforeItThatWaitsForOne() {
        String user = "{\"role\":\"user\",\"content\":\"Hi\"}";
        assertThat(refusal("{\"model\":\"m\",\"input\":[" + user + "," + output("nope") + "]}").getMessage())
                .startsWith("input.1.call_id: no function_call before this output with call_id 'nope' is waiting for one");
        assertThat(refusal("{\"model\":\"m\",\"input\":[" + output("c1") + "," + call("c1") + "]}").getMessage())
                .startsWith("input.0.call_id: no function_call before this output");
        assertThat(refusal("{\"model\":\"m\",\"input\":[" + call("c1") + "," + output("c1") + "," + output("c1") + "]}").getMessage())
                .startsWith("input.2.call_id: no function_call before this output with call_id 'c1'");
        // Parallel calls answered in any order, an id reused once answered, a last call still waiting: all translate.
        JsonNode c = canonical("{\"model\":\"m\",\"input\":[" + user + "," + call("a") + "," + call("b") + "," + output("b") + ","
                + output("a") + "," + call("a") + "," + output("a") + "," + call("c") + "]}");
        assertThat(c.path("messages").size()).isEqualTo(6);
    }
}
