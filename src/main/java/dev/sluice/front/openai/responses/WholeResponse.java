package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.front.openai.OpenAiEncoder;
import dev.sluice.front.openai.OpenAiErrorBody;
import dev.sluice.wire.Json;
import dev.sluice.wire.MessageUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole canonical Anthropic message as a Responses {@code response} object (blocks as {@link OutputItem} says), its
 * items kept for the caller when the request asked for it ({@link ItemStore}).
 */
final class WholeResponse {
    private WholeResponse() {
    }

    static byte[] fromMessage(byte[] message, String model, long createdAt, ResponseEcho echo) {
        return fromMessage(message, model, createdAt, echo, null, null);
    }

    /**
     * @param model named when the message does not say which model served it (it does: the served one is named)
     * @param owner the caller the items are kept for in {@code store}, or null to keep nothing
     */
    static byte[] fromMessage(byte[] message, String model, long createdAt, ResponseEcho echo, ItemStore store, String owner) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(message);
        } catch (IOException e) {
            return OpenAiErrorBody.json("api_error", "the upstream's answer could not be read").getBytes(StandardCharsets.UTF_8);
        }
        String messageId = m.path("id").asText("");
        List<OutputItem> output = new ArrayList<>();
        for (JsonNode block : m.path("content")) {
            OutputItem item = switch (block.path("type").asText("")) {
                case "text" -> {
                    OutputItem text = OutputItem.message("msg_" + OutputItem.bare(messageId) + "_" + output.size(), output.size());
                    text.content.append(block.path("text").asText(""));
                    yield text;
                }
                case "tool_use" -> {
                    String callId = block.path("id").asText("");
                    OutputItem call = OutputItem.functionCall("fc_" + OutputItem.bare(callId),
                            output.size(), callId, block.path("name").asText(""), echo.namespaces());
                    JsonNode input = block.path("input");
                    call.content.append(input.isMissingNode() ? "{}" : input.toString());
                    yield call;
                }
                case "thinking", "redacted_thinking" -> {
                    OutputItem reasoning = OutputItem.reasoning("rs_" + OutputItem.bare(messageId) + "_" + output.size(), output.size(), echo);
                    reasoning.content.append(block.path("thinking").asText(""));
                    reasoning.signature.append(block.path("signature").asText(""));
                    reasoning.redactedData = block.has("data") ? block.path("data").asText("") : null;
                    yield reasoning;
                }
                default -> null; // server tools' blocks: not part of a Responses answer from this gateway
            };
            if (item != null) {
                item.status = "completed";
                output.add(item);
            }
        }
        ResponseObject.Ending ending = ResponseObject.Ending.of(m.path("stop_reason").asText(null));
        if (!ending.status().equals("completed") && !output.isEmpty()) {
            output.getLast().status = "incomplete";
        }
        boolean stored = store != null && owner != null;
        if (stored) {
            store.keep(owner, output);
        }
        String json = ResponseObject.json(ResponseObject.responseId(messageId), createdAt, OpenAiEncoder.servedModel(m, model), output, ending,
                MessageUsage.read(message), echo, stored);
        return json.getBytes(StandardCharsets.UTF_8);
    }
}
