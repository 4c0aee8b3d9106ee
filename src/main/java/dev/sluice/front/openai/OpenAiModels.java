package dev.sluice.front.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code GET /v1/models} for OpenAI clients: Anthropic's model list as {@code {"object":"list","data":[{id,object,created,owned_by}]}}. */
public final class OpenAiModels {
    private OpenAiModels() {
    }

    /** @param anthropicList the body of an Anthropic {@code /v1/models} answer (or the gateway's catalog in that shape) */
    public static byte[] fromAnthropic(byte[] anthropicList) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(anthropicList);
        } catch (IOException e) {
            root = Json.MAPPER.createObjectNode();
        }
        StringBuilder sb = new StringBuilder("{\"object\":\"list\",\"data\":[");
        int n = 0;
        for (JsonNode m : root.path("data")) {
            if (!m.path("id").isTextual()) {
                continue;
            }
            sb.append(n++ == 0 ? "" : ",").append(model(m));
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One Anthropic model object ({@code GET /v1/models/{id}}) as OpenAI's. */
    public static byte[] oneFromAnthropic(byte[] anthropicModel) {
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(anthropicModel);
        } catch (IOException e) {
            m = Json.MAPPER.createObjectNode();
        }
        if (!m.path("id").isTextual()) {
            return OpenAiErrorBody.json("api_error", "the model could not be read").getBytes(StandardCharsets.UTF_8);
        }
        return model(m).getBytes(StandardCharsets.UTF_8);
    }

    private static String model(JsonNode m) {
        String id = m.get("id").asText();
        return "{\"id\":" + OpenAiEncoder.q(id) + ",\"object\":\"model\",\"created\":" + epoch(m.path("created_at").asText(""))
                + ",\"owned_by\":" + (id.startsWith("claude") ? "\"anthropic\"" : "\"system\"") + "}";
    }

    private static long epoch(String rfc3339) {
        try {
            return Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
