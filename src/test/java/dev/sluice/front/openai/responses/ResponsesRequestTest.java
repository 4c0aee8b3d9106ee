package dev.sluice.front.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.front.openai.OpenAiErrorBody;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A Responses request read into the canonical Messages body: every field carried, and every refusal named. */
class ResponsesRequestTest {
    static JsonNode canonical(String body) {
        try {
            return Json.MAPPER.readTree(ResponsesRequest.translate(body.getBytes(StandardCharsets.UTF_8)).canonical());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static ApiError refusal(String body) {
        try {
            ResponsesRequest.translate(body.getBytes(StandardCharsets.UTF_8));
        } catch (ApiError e) {
            assertThat(e.status()).isEqualTo(400);
            return e;
        }
        throw new AssertionError("translated: " + body.substring(0, Math.min(200, body.length())));
    }

    /** The error as an OpenAI client reads it. */
    static JsonNode envelope(String body) {
        ApiError e = refusal(body);
        try {
            return Json.MAPPER.readTree(OpenAiErrorBody.json(e.type(), e.getMessage())).path("error");
        } catch (java.io.IOException x) {
            throw new AssertionError(x);
        }
    }

    static String with(String fields) {
        return "{\"model\":\"claude-sonnet-4-5\",\"input\":\"Hi\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
    }

    @Test
    void aStringInputIsOneUserMessageWithTheDefaults() {
        JsonNode c = canonical("{\"model\":\"claude-sonnet-4-5\",\"input\":\"Say hello.\"}");
        assertThat(c.path("model").asText()).isEqualTo("claude-sonnet-4-5");
        assertThat(c.path("max_tokens").asLong()).isEqualTo(8192);
        assertThat(c.path("messages")).hasSize(1);
        assertThat(c.at("/messages/0/role").asText()).isEqualTo("user");
        assertThat(c.at("/messages/0/content/0").toString()).isEqualTo("{\"type\":\"text\",\"text\":\"Say hello.\"}");
        assertThat(c.has("system")).isFalse();
        assertThat(c.has("stream")).isFalse();
        assertThat(c.has("tools")).isFalse();
    }

    @Test
    void everyCarriedFieldLandsWhereAnthropicReadsIt() {
        JsonNode c = canonical("{\"model\":\"claude-sonnet-4-5\",\"instructions\":\"Be brief.\",\"max_output_tokens\":300,"
                + "\"temperature\":1.5,\"top_p\":0.9,\"stream\":true,\"user\":\"u-1\",\"parallel_tool_calls\":false,"
                + "\"tool_choice\":{\"type\":\"function\",\"name\":\"f\"},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"description\":\"does f\",\"strict\":true,"
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}},{\"type\":\"function\",\"name\":\"g\"}],"
                + "\"store\":true,\"metadata\":{\"k\":\"v\"},\"service_tier\":\"auto\",\"prompt_cache_key\":\"p\","
                + "\"safety_identifier\":\"s\",\"reasoning\":{\"effort\":\"minimal\",\"summary\":\"auto\"},"
                + "\"include\":[\"reasoning.encrypted_content\"],\"text\":{\"format\":{\"type\":\"text\"},\"verbosity\":\"medium\"},"
                + "\"truncation\":\"disabled\",\"top_logprobs\":0,\"background\":false,\"stream_options\":{\"include_obfuscation\":false},"
                + "\"previous_response_id\":null,\"input\":\"Hi\"}");
        assertThat(c.path("max_tokens").asLong()).isEqualTo(300);
        assertThat(c.path("temperature").asDouble()).isEqualTo(1.0); // clamped to Anthropic's range
        assertThat(c.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(c.path("stream").asBoolean()).isTrue();
        assertThat(c.at("/metadata/user_id").asText()).isEqualTo("u-1");
        assertThat(c.path("system").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Be brief.\"}]");
        assertThat(c.at("/tools/0/name").asText()).isEqualTo("f");
        assertThat(c.at("/tools/0/description").asText()).isEqualTo("does f");
        assertThat(c.at("/tools/0/input_schema/properties/a/type").asText()).isEqualTo("string");
        assertThat(c.at("/tools/0").has("strict")).isFalse();
        assertThat(c.at("/tools/1/input_schema").toString()).isEqualTo("{\"type\":\"object\",\"properties\":{}}");
        assertThat(c.path("tool_choice").toString()).isEqualTo("{\"type\":\"tool\",\"name\":\"f\",\"disable_parallel_tool_use\":true}");
        // What changes nothing the caller can observe leaves no trace in the canonical body (the cache key).
        assertThat(c.has("store")).isFalse();
        assertThat(c.at("/metadata").size()).isEqualTo(1);
    }

    @Test
    void aJsonSchemaTextFormatBecomesClaudesStructuredOutput() {
        // What @ai-sdk/openai's generateObject sends on its default (Responses) model.
        JsonNode c = canonical(with("\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"response\",\"strict\":false,"
                + "\"schema\":{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\"}},\"required\":[\"n\"]}}}"));
        assertThat(c.at("/output_config/format/type").asText()).isEqualTo("json_schema");
        assertThat(c.at("/output_config/format/schema/required/0").asText()).isEqualTo("n");
        assertThat(refusal(with("\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{}}}")).getMessage())
                .startsWith("text.format.name: expected a name");
        assertThat(refusal(with("\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"r\",\"schema\":\"{}\"}}")).getMessage())
                .startsWith("text.format.schema: expected a JSON schema object");
    }

    @Test
    void toolChoiceStrings() {
        String tools = "\"tools\":[{\"type\":\"function\",\"name\":\"f\"}]";
        assertThat(canonical(with(tools + ",\"tool_choice\":\"required\"")).at("/tool_choice/type").asText()).isEqualTo("any");
        assertThat(canonical(with(tools + ",\"tool_choice\":\"none\"")).at("/tool_choice/type").asText()).isEqualTo("none");
        assertThat(canonical(with(tools + ",\"tool_choice\":\"auto\"")).at("/tool_choice/type").asText()).isEqualTo("auto");
        assertThat(canonical(with(tools)).has("tool_choice")).isFalse();
        assertThat(canonical(with("\"tool_choice\":\"required\"")).has("tool_choice")).isFalse(); // no tools: nothing to choose
        assertThat(refusal(with(tools + ",\"tool_choice\":\"sometimes\"")).getMessage()).startsWith("tool_choice: \"sometimes\" is not supported");
        assertThat(refusal(with(tools + ",\"tool_choice\":{\"type\":\"web_search_preview\"}")).getMessage()).startsWith("tool_choice:");
    }

    @Test
    void aToolConversationBecomesAlternatingAnthropicTurns() {
        JsonNode c = canonical("{\"model\":\"m\",\"instructions\":\"Sys A\",\"input\":["
                + "{\"role\":\"developer\",\"content\":\"Sys B\"},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Weather?\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"data:image/png;base64,AAAA\",\"detail\":\"auto\"}]},"
                + "{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":["
                + "{\"type\":\"output_text\",\"text\":\"Checking.\",\"annotations\":[]}]},"
                + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Lisbon\\\"}\",\"status\":\"completed\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"call_2\",\"name\":\"time\",\"arguments\":\"\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"Sunny\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_2\",\"output\":[{\"type\":\"input_text\",\"text\":\"noon\"}]},"
                + "{\"role\":\"user\",\"content\":\"Thanks\"}]}");
        assertThat(c.path("system").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"Sys A\"},{\"type\":\"text\",\"text\":\"Sys B\"}]");
        JsonNode m = c.path("messages");
        assertThat(m).hasSize(3);
        assertThat(m.at("/0/content/1").toString()).isEqualTo("{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"AAAA\"}}");
        assertThat(m.at("/1/role").asText()).isEqualTo("assistant");
        assertThat(m.at("/1/content/0/text").asText()).isEqualTo("Checking.");
        assertThat(m.at("/1/content/1").toString()).isEqualTo("{\"type\":\"tool_use\",\"id\":\"call_1\",\"name\":\"weather\",\"input\":{\"city\":\"Lisbon\"}}");
        assertThat(m.at("/1/content/2/input").toString()).isEqualTo("{}");
        assertThat(m.at("/2/role").asText()).isEqualTo("user");
        assertThat(m.at("/2/content/0").toString()).isEqualTo("{\"type\":\"tool_result\",\"tool_use_id\":\"call_1\",\"content\":\"Sunny\"}");
        assertThat(m.at("/2/content/1/content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"noon\"}]");
        assertThat(m.at("/2/content/2/text").asText()).isEqualTo("Thanks");
    }

    @Test
    void filesAndUrlsAreDocumentsAndImages() {
        JsonNode c = canonical("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":["
                + "{\"type\":\"input_file\",\"filename\":\"a.pdf\",\"file_data\":\"data:application/pdf;base64,JVBE\"},"
                + "{\"type\":\"input_file\",\"file_url\":\"https://example.com/a.pdf\"},"
                + "{\"type\":\"input_image\",\"image_url\":\"https://example.com/a.png\"}]}]}");
        assertThat(c.at("/messages/0/content/0").toString()).isEqualTo("{\"type\":\"document\",\"source\":{\"type\":\"base64\","
                + "\"media_type\":\"application/pdf\",\"data\":\"JVBE\"},\"title\":\"a.pdf\"}");
        assertThat(c.at("/messages/0/content/1/source/url").asText()).isEqualTo("https://example.com/a.pdf");
        assertThat(c.at("/messages/0/content/2/source").toString()).isEqualTo("{\"type\":\"url\",\"url\":\"https://example.com/a.png\"}");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"file_id\":\"file-1\"}]}]}")
                .getMessage()).startsWith("input.0.content.0.file_id: not supported");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"ftp://x\"}]}]}")
                .getMessage()).startsWith("input.0.content.0.image_url: expected a base64 data: URL");
    }

    @Test
    void whatNeedsStoredStateOrCannotBeHonouredIsRefusedNamingTheField() {
        assertThat(envelope(with("\"previous_response_id\":\"resp_1\"")).path("param").asText()).isEqualTo("previous_response_id");
        assertThat(envelope(with("\"previous_response_id\":\"resp_1\"")).path("code").asText()).isEqualTo("unsupported_parameter");
        assertThat(refusal(with("\"conversation\":\"conv_1\"")).getMessage()).startsWith("conversation: not supported");
        assertThat(refusal(with("\"prompt\":{\"id\":\"p\"}")).getMessage()).startsWith("prompt: not supported");
        assertThat(refusal(with("\"background\":true")).getMessage()).startsWith("background: true is not supported");
        assertThat(refusal(with("\"max_tool_calls\":3")).getMessage()).startsWith("max_tool_calls: not supported");
        assertThat(refusal(with("\"truncation\":\"auto\"")).getMessage()).startsWith("truncation: \"auto\" is not supported");
        assertThat(refusal(with("\"top_logprobs\":2")).getMessage()).startsWith("top_logprobs: 2 is not supported");
        assertThat(refusal(with("\"reasoning\":{\"effort\":\"huge\"}")).getMessage()).startsWith("reasoning.effort: \"huge\" is not supported");
        JsonNode format = envelope(with("\"text\":{\"format\":{\"type\":\"json_object\"}}"));
        assertThat(format.path("param").asText()).isEqualTo("text.format.type");
        assertThat(format.path("code").asText()).isEqualTo("unsupported_value");
        assertThat(refusal(with("\"text\":{\"verbosity\":\"low\"}")).getMessage()).startsWith("text.verbosity: \"low\" is not supported");
        assertThat(envelope(with("\"include\":[\"reasoning.encrypted_content\",\"message.output_text.logprobs\"]")).path("param").asText())
                .isEqualTo("include[1]");
        assertThat(refusal(with("\"frobnicate\":1")).getMessage()).startsWith("frobnicate: not supported by this gateway (not a parameter");
        for (String builtIn : new String[] {"file_search", "code_interpreter", "computer_use_preview", "mcp",
                "image_generation", "local_shell", "custom"}) {
            assertThat(envelope(with("\"tools\":[{\"type\":\"" + builtIn + "\"}]")).path("param").asText()).isEqualTo("tools[0].type");
        }
        // A reference to no item of the caller's says why it may be missing and what to send instead (ItemReferenceTest).
        JsonNode reference = envelope("{\"model\":\"m\",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}");
        assertThat(reference.path("message").asText()).startsWith("input.0.id: \"msg_1\" is not an item this gateway keeps")
                .contains("expired").contains("another replica").contains("store: false");
        assertThat(reference.path("param").asText()).isEqualTo("input[0].id");
    }

    @Test
    void valuesOfTheWrongTypeAreRefusedNamingTheField() {
        assertThat(refusal("{\"input\":\"Hi\"}").getMessage()).startsWith("model: expected a non-empty string");
        assertThat(refusal("{\"model\":\"has space\",\"input\":\"Hi\"}").getMessage()).startsWith("model: expected a model name");
        assertThat(refusal("{\"model\":\"m\"}").getMessage()).startsWith("input: expected a string or an array");
        assertThat(refusal("{\"model\":\"m\",\"input\":[]}").getMessage()).startsWith("input: at least one user or assistant message");
        assertThat(refusal("{\"model\":\"m\",\"input\":{}}").getMessage()).startsWith("input: expected a string or an array");
        assertThat(refusal(with("\"max_output_tokens\":0")).getMessage()).startsWith("max_output_tokens: expected an integer from 1");
        assertThat(refusal(with("\"max_output_tokens\":\"5\"")).getMessage()).startsWith("max_output_tokens: expected an integer");
        assertThat(refusal(with("\"stream\":\"yes\"")).getMessage()).startsWith("stream: expected a boolean");
        assertThat(refusal(with("\"temperature\":\"hot\"")).getMessage()).startsWith("temperature: expected a number");
        assertThat(refusal(with("\"instructions\":[1]")).getMessage()).startsWith("instructions: expected a string");
        assertThat(refusal(with("\"tools\":{}")).getMessage()).startsWith("tools: expected an array");
        assertThat(refusal(with("\"tools\":[{\"type\":\"function\"}]")).getMessage()).startsWith("tools.0.name: expected a non-empty string");
        assertThat(refusal(with("\"tools\":[{\"type\":\"function\",\"name\":\"f\",\"parameters\":\"x\"}]")).getMessage())
                .startsWith("tools.0.parameters: expected a JSON Schema object");
        assertThat(refusal(with("\"metadata\":{\"k\":1}")).getMessage()).startsWith("metadata.k: expected a string");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"tool\",\"content\":\"x\"}]}").getMessage())
                .startsWith("input.0.role: \"tool\" is not supported");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"output_text\",\"text\":\"x\"}]}]}")
                .getMessage()).startsWith("input.0.content.0.type: \"output_text\" is not supported");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"input_image\",\"image_url\":\"x\"}]}]}")
                .getMessage()).startsWith("input.0.content.0.type: \"input_image\" is not supported");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"name\":\"f\",\"arguments\":\"{}\"}]}").getMessage())
                .startsWith("input.0.call_id: expected a non-empty string");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":{}}]}")
                .getMessage()).startsWith("input.0.arguments: expected a string");
        assertThat(refusal("{\"model\":\"m\",\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":5}]}").getMessage())
                .startsWith("input.0.output: expected a string or an array");
        assertThat(refusal("{\"model\":\"m\",\"input\":[\"Hi\"]}").getMessage()).startsWith("input.0: expected an input item object");
    }

    @Test
    void whatCodexCliSendsTranslates() {
        // The fields Codex CLI's Responses client always writes, for a model without reasoning settings.
        JsonNode c = canonical("{\"model\":\"claude-sonnet-4-5\",\"instructions\":\"You are Codex.\",\"input\":["
                + "{\"type\":\"message\",\"role\":\"developer\",\"content\":[{\"type\":\"input_text\",\"text\":\"<permissions/>\"}]},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"<environment_context/>\"}]},"
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"List the files.\"}]},"
                + "{\"type\":\"function_call\",\"name\":\"shell\",\"arguments\":\"{\\\"command\\\":[\\\"ls\\\"]}\",\"call_id\":\"call_A\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_A\",\"output\":\"README.md\"}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"shell\",\"description\":\"Runs a shell command\",\"strict\":false,"
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"command\":{\"type\":\"array\",\"items\":{\"type\":\"string\"}}},"
                + "\"required\":[\"command\"],\"additionalProperties\":false}}],"
                + "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false,\"reasoning\":null,\"store\":false,\"stream\":true,"
                + "\"include\":[],\"prompt_cache_key\":\"0199a1b2-c3d4\"}");
        assertThat(c.path("system")).hasSize(2);
        assertThat(c.path("messages")).hasSize(3);
        assertThat(c.at("/messages/0/content")).hasSize(2);
        assertThat(c.at("/messages/1/content/0/input/command/0").asText()).isEqualTo("ls");
        assertThat(c.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("call_A");
        assertThat(c.path("tool_choice").toString()).isEqualTo("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}");
        assertThat(c.path("stream").asBoolean()).isTrue();
    }

    /**
     * What Codex CLI 0.171 adds (captured from a real run): its client_metadata, a namespace of sub-agent tools and a
     * web_search tool. The namespace's functions reach the model by joined names, a call the client sends back with
     * its namespace is joined again, and web search, which no upstream here runs for the client, is not offered.
     */
    @Test
    void codexsNamespacesSearchToolAndClientMetadata() {
        JsonNode c = canonical(with("\"client_metadata\":{\"x-codex-turn-metadata\":\"{\\\"turn\\\":1}\",\"session_id\":\"s\"},"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"exec_command\",\"parameters\":{\"type\":\"object\"}},"
                + "{\"type\":\"namespace\",\"name\":\"multi_agent_v1\",\"description\":\"Sub-agents.\",\"tools\":["
                + "{\"type\":\"function\",\"name\":\"spawn_agent\",\"description\":\"Starts one.\",\"parameters\":{\"type\":\"object\"}}]},"
                + "{\"type\":\"web_search\",\"external_web_access\":false}]"));
        assertThat(c.path("tools")).hasSize(2);
        assertThat(c.at("/tools/0/name").asText()).isEqualTo("exec_command");
        assertThat(c.at("/tools/1/name").asText()).isEqualTo("multi_agent_v1__spawn_agent");
        assertThat(c.at("/tools/1/description").asText()).isEqualTo("[multi_agent_v1: Sub-agents.] Starts one.");

        JsonNode back = canonical("{\"model\":\"m\",\"input\":[{\"type\":\"message\",\"role\":\"user\",\"content\":\"go\"},"
                + "{\"type\":\"function_call\",\"namespace\":\"multi_agent_v1\",\"name\":\"spawn_agent\",\"arguments\":\"{}\","
                + "\"call_id\":\"call_1\"},{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"ok\"}]}");
        assertThat(back.at("/messages/1/content/0/name").asText()).isEqualTo("multi_agent_v1__spawn_agent");

        assertThat(refusal(with("\"client_metadata\":{\"k\":1}")).getMessage()).startsWith("client_metadata.k: expected a string");
        assertThat(refusal(with("\"client_metadata\":[]")).getMessage()).startsWith("client_metadata: expected an object");
        assertThat(refusal(with("\"tools\":[{\"type\":\"namespace\",\"name\":\"bad name\",\"tools\":[]}]")).getMessage())
                .startsWith("tools.0.name: expected a namespace name");
        assertThat(refusal(with("\"tools\":[{\"type\":\"namespace\",\"name\":\"" + "n".repeat(40) + "\",\"tools\":[{\"type\":"
                + "\"function\",\"name\":\"" + "f".repeat(30) + "\"}]}]")).getMessage()).startsWith("tools.0.tools.0.name: expected a name");
        assertThat(refusal(with("\"tools\":[{\"type\":\"function\",\"name\":\"a__b\"},{\"type\":\"namespace\",\"name\":\"a\","
                + "\"tools\":[{\"type\":\"function\",\"name\":\"b\"}]}]")).getMessage()).startsWith("tools.1.tools.0.name: a__b names a second");
    }

    @Test
    void nullMeansTheDefault() {
        JsonNode c = canonical(with("\"instructions\":null,\"tools\":null,\"tool_choice\":null,\"max_output_tokens\":null,"
                + "\"temperature\":null,\"reasoning\":null,\"text\":null,\"conversation\":null,\"metadata\":null"));
        assertThat(c.toString()).isEqualTo(canonical(with("")).toString());
    }
}
