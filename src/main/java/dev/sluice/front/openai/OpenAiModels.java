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
            sb.append(n++ == 0 ? "" : ",").append("{\"id\":").append(OpenAiEncoder.q(m.get("id").asText()))
                    .append(",\"object\":\"model\",\"created\":").append(epoch(m.path("created_at").asText("")))
                    .append(",\"owned_by\":\"anthropic\"}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long epoch(String rfc3339) {
        try {
            return Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
