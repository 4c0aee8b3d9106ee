package dev.sluice.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client's chat body as an OpenAI-protocol upstream gets it on the direct path: only the upstream's edits. */
class DirectChatTest {
    private static final OpenAiTarget OPENAI = target(OpenAiTarget.Flavor.OPENAI, "gpt-4.1", null);
    private static final OpenAiTarget AZURE = target(OpenAiTarget.Flavor.AZURE, "prod-4o", "2024-10-21");
    private static final OpenAiTarget VLLM = target(OpenAiTarget.Flavor.COMPATIBLE, "llama3.1:8b", null);

    /** Escapes, non-ASCII, an image part, a tool call and its result, tools: bytes that must travel untouched. */
    private static final String MESSAGES = "[{\"role\":\"developer\",\"content\":\"Be brief.\\n\\u00e9 \\\"q\\\"\"},"
            + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"look: é 😀\"},"
            + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]},"
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"read\",\"arguments\":\"{\\\"path\\\":\\\"a.txt\\\"}\"}}]},"
            + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"hello\"}]";
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"read\",\"description\":\"Reads\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"path\":{\"type\":\"string\"}}},\"strict\":true}}]";

    private static OpenAiTarget target(OpenAiTarget.Flavor flavor, String model, String apiVersion) {
        return new OpenAiTarget(URI.create("http://127.0.0.1:1"), flavor, model, "k", apiVersion, null);
    }

    private static String send(String chat, OpenAiTarget target, long maxTokens, boolean stream) {
        RequestBody body = DirectChat.body(RequestBody.of(chat), target, maxTokens, stream);
        String sent = body.bytes().toString(StandardCharsets.UTF_8);
        assertThat(DirectChat.parts(body).toString(StandardCharsets.UTF_8)).as("the buffer sent, made of parts").isEqualTo(sent);
        return sent;
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void onlyTheModelChangesAndEveryOtherCarriedByteGoesAsTheClientWroteIt() throws Exception {
        String chat = "{\"model\":\"my-gpt\",\"messages\":" + MESSAGES + ",\"tools\":" + TOOLS
                + ",\"tool_choice\":\"required\",\"parallel_tool_calls\":false,\"temperature\":1.5,\"top_p\":0.9,"
                + "\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"max_completion_tokens\":300}";
        String sent = send(chat, OPENAI, 300, false);
        assertThat(sent).isEqualTo(chat.replace("\"my-gpt\"", "\"gpt-4.1\""));
    }

    @Test
    void claudeCodesRequestAsAChatCompletionGoesAsItIsButForTheModel() throws Exception {
        byte[] messages = getClass().getResourceAsStream("/demo/claude-code-request.json").readAllBytes();
        String chat = new String(ChatRequestWriter.write(messages, OPENAI, "my-gpt", false), StandardCharsets.UTF_8);
        assertThat(chat.length()).isGreaterThan(50_000);
        long cap = Json.MAPPER.readTree(chat).path("max_completion_tokens").asLong();
        String sent = send(chat, OPENAI, cap, false);
        assertThat(sent).isEqualTo(chat.replace("{\"model\":\"my-gpt\"", "{\"model\":\"gpt-4.1\""));
    }

    @Test
    void fieldsTheCanonicalFormDoesNotCarryAreLeftOutAsTheTranslatedPathLeavesThemOut() throws Exception {
        String chat = "{\"user\":\"u-1\",\"model\":\"my-gpt\",\"store\":false,\"messages\":"
                + MESSAGES + ",\"seed\":7,\"n\":1,\"functions\":[{\"name\":\"x\",\"description\":\"unscanned\"}],"
                + "\"max_completion_tokens\":64,\"logprobs\":false}";
        JsonNode sent = json(send(chat, OPENAI, 64, false));
        assertThat(sent.properties()).extracting(java.util.Map.Entry::getKey)
                .containsExactlyInAnyOrder("model", "messages", "max_completion_tokens");
        assertThat(sent.get("messages")).isEqualTo(json(MESSAGES));
        assertThat(sent.get("max_completion_tokens").asLong()).isEqualTo(64);
    }

    @Test
    void aJsonSchemaResponseFormatGoesAsTheClientWroteIt() throws Exception {
        // The front door carries it as output_config.format; the direct path must not lose it (the Vercel AI SDK's
        // generateObject and LangChain's withStructuredOutput on an OpenAI model behind the OpenAI door).
        String format = "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"weather\",\"strict\":true,\"schema\":"
                + "{\"type\":\"object\",\"properties\":{},\"additionalProperties\":false}}}";
        String chat = "{\"model\":\"my-gpt\",\"messages\":" + MESSAGES + ",\"response_format\":" + format + "}";
        assertThat(json(send(chat, OPENAI, 64, false)).get("response_format")).isEqualTo(json(format));
        // A description is text for the model the guard never scanned (the canonical form has no place for it).
        String described = chat.replace("\"strict\":true", "\"strict\":true,\"description\":\"unscanned\"");
        assertThat(DirectChat.body(RequestBody.of(described), OPENAI, 64, false)).isNull();
    }

    @Test
    void theOutputCapGoesUnderTheDialectsNameWithTheCanonicalValue() throws Exception {
        String noCap = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode openai = json(send(noCap, OPENAI, 8192, false));
        assertThat(openai.get("max_completion_tokens").asLong()).as("the front door's default, as the budget reserved").isEqualTo(8192);
        assertThat(openai.has("max_tokens")).isFalse();

        String oldName = "{\"model\":\"m\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode azure = json(send(oldName, AZURE, 100, false));
        assertThat(azure.get("max_completion_tokens").asLong()).isEqualTo(100);
        assertThat(azure.has("max_tokens")).isFalse();
        assertThat(azure.get("model").asText()).isEqualTo("prod-4o");

        String both = "{\"model\":\"m\",\"max_tokens\":100,\"max_completion_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode vllm = json(send(both, VLLM, 50, false));
        assertThat(vllm.get("max_tokens").asLong()).as("the canonical value: max_completion_tokens wins").isEqualTo(50);
        assertThat(vllm.has("max_completion_tokens")).isFalse();
    }

    @Test
    void aStreamAlwaysAsksForTheUsageChunkAndABodyNeverCarriesStreamOptions() throws Exception {
        String notAsked = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode s1 = json(send(notAsked, OPENAI, 8192, true));
        assertThat(s1.get("stream").asBoolean()).isTrue();
        assertThat(s1.at("/stream_options/include_usage").asBoolean()).isTrue();

        String askedOff = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":false},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(json(send(askedOff, OPENAI, 8192, true)).at("/stream_options/include_usage").asBoolean()).isTrue();

        String stray = "{\"model\":\"m\",\"stream\":false,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        JsonNode body = json(send(stray, OPENAI, 8192, false));
        assertThat(body.has("stream_options")).as("OpenAI refuses stream_options without stream").isFalse();
        assertThat(body.get("stream").asBoolean()).isFalse();
    }

    @Test
    void compatibleServersGetDeveloperMessagesAsSystemOnes() throws Exception {
        String chat = "{\"model\":\"m\",\"messages\":" + MESSAGES + "}";
        JsonNode vllm = json(send(chat, VLLM, 8192, false));
        assertThat(vllm.at("/messages/0/role").asText()).isEqualTo("system");
        assertThat(vllm.at("/messages/0/content").asText()).isEqualTo("Be brief.\né \"q\"");
        assertThat(json(send(chat, OPENAI, 8192, false)).at("/messages/0/role").asText())
                .as("OpenAI knows the developer role").isEqualTo("developer");
    }

    @Test
    void everyFieldOrderAndWhitespaceStaysValidJson() throws Exception {
        List<String> bodies = List.of(
                "{ \"messages\" : [{\"role\":\"user\",\"content\":\"hi\"}] , \"seed\" : 1 , \"model\" : \"m\" }",
                "{\"seed\":1,\"user\":\"x\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"model\":\"m\"}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":1,\"user\":\"x\"}");
        for (String b : bodies) {
            JsonNode sent = json(send(b, OPENAI, 10, true));
            assertThat(sent.get("model").asText()).as(b).isEqualTo("gpt-4.1");
            assertThat(sent.has("seed") || sent.has("user")).as(b).isFalse();
            assertThat(sent.get("max_completion_tokens").asLong()).isEqualTo(10);
        }
    }

    @Test
    void messageFieldsTheCanonicalFormLeavesOutAreLeftOutHereToo() throws Exception {
        String chat = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"name\":\"ana\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"no\",\"refusal\":\"unscanned text\",\"audio\":null},"
                + "{\"name\":\"x\",\"role\":\"user\",\"content\":\"again\"}]}";
        JsonNode sent = json(send(chat, OPENAI, 1, false));
        assertThat(sent.get("messages")).isEqualTo(json("[{\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"role\":\"assistant\",\"content\":\"no\"},{\"role\":\"user\",\"content\":\"again\"}]"));
    }

    @Test
    void aBodyWhoseMessagesOrToolsSaySomethingTheCanonicalFormDropsIsNotSentAsWritten() {
        String call = "{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"run\",\"arguments\":%s}}";
        List<String> notCarried = List.of(
                // arguments that are not a JSON object become {} in the canonical form: their text was never scanned
                "[{\"role\":\"assistant\",\"tool_calls\":[" + call.formatted("\"token=abc\"") + "]}]",
                "[{\"role\":\"assistant\",\"tool_calls\":[" + call.formatted("\"[1]\"") + "]}]",
                "[{\"role\":\"assistant\",\"tool_calls\":[" + call.formatted("\"{} trailing\"") + "]}]",
                "[{\"role\":\"assistant\",\"tool_calls\":[" + call.formatted("{\"a\":1}") + "]}]",
                // non-text parts of a system message are dropped by the translation
                "[{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"image_url\",\"image_url\":{}}]},"
                        + "{\"role\":\"user\",\"content\":\"hi\"}]",
                // the front door read the first content, an upstream may read the last
                "[{\"role\":\"user\",\"content\":\"hi\",\"content\":\"smuggled\"}]");
        for (String messages : notCarried) {
            assertThat(DirectChat.body(RequestBody.of("{\"model\":\"m\",\"messages\":" + messages + "}"), OPENAI, 1, false))
                    .as(messages).isNull();
        }
        String ok = "[{\"role\":\"assistant\",\"tool_calls\":[" + call.formatted("\" {\\\"a\\\": [1]} \"") + ","
                + call.formatted("\"\"") + "]}]";
        assertThat(DirectChat.body(RequestBody.of("{\"model\":\"m\",\"messages\":" + ok + "}"), OPENAI, 1, false)).as(ok).isNotNull();

        String twice = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}";
        assertThat(DirectChat.body(RequestBody.of(twice), OPENAI, 1, false)).isNull();
        String extraToolField = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"a\"}],\"tools\":"
                + "[{\"type\":\"function\",\"note\":\"unscanned\",\"function\":{\"name\":\"f\"}}]}";
        assertThat(DirectChat.body(RequestBody.of(extraToolField), OPENAI, 1, false)).isNull();
    }

    /**
     * Attack round 16: a field the translation does not read inside a content part, a tool call or the tool choice went
     * to an OpenAI upstream as written, though the guard (which scans the canonical form) never saw it.
     */
    @Test
    void partsToolCallsAndToolChoiceWithFieldsTheTranslationDoesNotReadAreNotSentAsWritten() {
        String secret = "\"ghp_unscanned\"";
        String fn = "{\"type\":\"function\",\"function\":{\"name\":\"f\"}}";
        List<String> notCarried = List.of(
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\",\"x_note\":" + secret + "}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x.io/a.png\",\"x\":" + secret + "}}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"x_note\":" + secret
                        + ",\"function\":{\"name\":\"run\",\"arguments\":\"{}\"}}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
                        + "\"function\":{\"name\":\"run\",\"arguments\":\"{}\",\"x\":" + secret + "}}]}]}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + fn + "],"
                        + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\",\"x\":" + secret + "}}}",
                "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[" + fn + "],"
                        + "\"tool_choice\":{\"type\":\"function\",\"x\":" + secret + ",\"function\":{\"name\":\"f\"}}}");
        for (String chat : notCarried) {
            assertThat(DirectChat.body(RequestBody.of(chat), OPENAI, 1, false)).as(chat).isNull();
        }
        String ok = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"},"
                + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x.io/a.png\",\"detail\":\"low\"}}]}],\"tools\":[" + fn + "],"
                + "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}}}";
        assertThat(DirectChat.body(RequestBody.of(ok), OPENAI, 1, false)).as(ok).isNotNull();
    }

    @Test
    void aBodyThatIsNotAnObjectIsABadRequest() {
        assertThatThrownBy(() -> send("[1]", OPENAI, 1, false)).isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }
}
