package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds a plausible tool input from a JSON schema: a simple value for every required property. */
final class SchemaInput {

    private SchemaInput() {
    }

    static ObjectNode forSchema(JsonNode schema) {
        ObjectNode input = SimJson.object();
        if (schema == null) {
            return input;
        }
        JsonNode properties = schema.path("properties");
        for (JsonNode required : schema.path("required")) {
            String name = required.asText();
            input.set(name, valueFor(properties.path(name)));
        }
        return input;
    }

    private static JsonNode valueFor(JsonNode property) {
        JsonNode enumValues = property.get("enum");
        if (enumValues != null && enumValues.isArray() && !enumValues.isEmpty()) {
            return enumValues.get(0);
        }
        String type = property.path("type").isArray() ? property.path("type").path(0).asText()
                : property.path("type").asText("string");
        return switch (type) {
            case "integer", "number" -> SimJson.object().numberNode(1);
            case "boolean" -> SimJson.object().booleanNode(true);
            case "array" -> SimJson.array();
            case "object" -> forSchema(property);
            case "null" -> SimJson.object().nullNode();
            default -> SimJson.object().textNode("sim");
        };
    }
}
