package dev.sluice.signin.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/models} for a caller: the configured catalog ({@code signin.models.listed}) less
 * what the allow- and deny-lists refuse them, in Anthropic's models-list shape with Anthropic-style
 * ids (the CLI's model-family logic keys on them). Without a configured catalog the upstream's own
 * list is passed through with the same filter ({@link #filter}).
 */
public final class ModelCatalog {
    private final List<String> listed;
    private final ModelPolicy policy;

    public ModelCatalog(List<String> listed, ModelPolicy policy) {
        this.listed = List.copyOf(listed);
        this.policy = policy;
    }

    /** True when a catalog is configured (the gateway answers from it instead of asking an upstream). */
    public boolean configured() {
        return !listed.isEmpty();
    }

    /** The list for this caller, or null when no catalog is configured. */
    public ObjectNode list(Identity who) {
        if (listed.isEmpty()) {
            return null;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String id : listed) {
            if (policy.allowed(who, id)) {
                data.add(entry(id));
            }
        }
        return paged(body, data);
    }

    /** One model of the catalog ({@code GET /v1/models/{id}}), or null when it is not listed or not allowed. */
    public ObjectNode one(Identity who, String id) {
        return listed.contains(id) && policy.allowed(who, id) ? entry(id) : null;
    }

    /** An upstream's models list less the models this caller may not use; null when it is not a models list. */
    public ObjectNode filter(Identity who, JsonNode upstream) {
        if (!(upstream instanceof ObjectNode doc) || !(doc.get("data") instanceof ArrayNode all)) {
            return null;
        }
        ArrayNode data = Json.MAPPER.createArrayNode();
        for (JsonNode m : all) {
            if (policy.allowed(who, m.path("id").asText(null))) {
                data.add(m);
            }
        }
        ObjectNode body = doc.deepCopy();
        body.set("data", data);
        return paged(body, data);
    }

    private static ObjectNode entry(String id) {
        return Json.MAPPER.createObjectNode().put("type", "model").put("id", id).put("display_name", displayName(id))
                .put("created_at", "2025-01-01T00:00:00Z");
    }

    private static ObjectNode paged(ObjectNode body, ArrayNode data) {
        body.set("data", data);
        body.put("has_more", body.path("has_more").asBoolean(false));
        if (data.isEmpty()) {
            body.putNull("first_id").putNull("last_id");
        } else {
            body.put("first_id", data.get(0).path("id").asText()).put("last_id", data.get(data.size() - 1).path("id").asText());
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
