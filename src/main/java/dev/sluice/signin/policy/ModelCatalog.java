package dev.sluice.signin.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/models} for a developer: the configured models they may use, in Anthropic's
 * models-list shape with Anthropic-style ids (the CLI's model-family logic keys on them). Null when
 * no list is configured, so the caller answers 404 and the CLI falls back to its built-in list.
 */
public final class ModelCatalog {
    private final List<String> listed;
    private final ModelPolicy policy;

    public ModelCatalog(List<String> listed, ModelPolicy policy) {
        this.listed = List.copyOf(listed);
        this.policy = policy;
    }

    /** The list for this caller, or null when there is none to give (answer 404). */
    public ObjectNode list(Identity who) {
        if (listed.isEmpty()) {
            return null;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : listed) {
            if (policy.allowed(who, id)) {
                data.addObject().put("type", "model").put("id", id).put("display_name", displayName(id))
                        .put("created_at", "2025-01-01T00:00:00Z");
            }
        }
        body.put("has_more", false);
        if (data.isEmpty()) {
            body.putNull("first_id").putNull("last_id");
        } else {
            body.put("first_id", data.get(0).get("id").asText()).put("last_id", data.get(data.size() - 1).get("id").asText());
        }
        return body;
    }

    /** {@code claude-sonnet-4-5-20250929} → {@code Claude Sonnet 4.5}. */
    static String displayName(String id) {
        String[] parts = id.split("-");
        StringBuilder sb = new StringBuilder();
        boolean versionStarted = false;
        for (String p : parts) {
            if (p.matches("\\d{8}")) {
                break; // a date suffix is not part of the name
            }
            if (p.matches("\\d+")) {
                sb.append(versionStarted ? "." : " ").append(p);
                versionStarted = true;
            } else {
                sb.append(sb.isEmpty() ? "" : " ").append(p.substring(0, 1).toUpperCase(Locale.ROOT)).append(p.substring(1));
            }
        }
        return sb.toString();
    }
}
