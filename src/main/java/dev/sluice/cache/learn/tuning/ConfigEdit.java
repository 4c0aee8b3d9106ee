package dev.sluice.cache.learn.tuning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Writes {@code cache.semantic.thresholds} into a configuration text, leaving every other setting as it was. The
 * text is read and written as YAML data: values, {@code ${ENV}} and {@code ${file:...}} references survive; comments
 * and layout do not (the applied version is recorded whole, and the file on disk is left alone, as a rollback leaves
 * it).
 */
public final class ConfigEdit {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

    private ConfigEdit() {
    }

    /** {@code yaml} with {@code cache.semantic.thresholds} replaced by {@code thresholds}, in their order. */
    public static String withThresholds(String yaml, Map<String, Double> thresholds) {
        Objects.requireNonNull(thresholds, "thresholds");
        JsonNode root;
        try {
            root = yaml == null || yaml.isBlank() ? null : YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the configuration is not YAML: " + e.getOriginalMessage(), e);
        }
        if (root != null && !root.isObject()) {
            throw new IllegalArgumentException("the configuration is not a YAML mapping");
        }
        ObjectNode top = root == null ? YAML.createObjectNode() : (ObjectNode) root;
        ObjectNode semantic = object(object(top, "cache"), "semantic");
        ObjectNode t = semantic.putObject("thresholds");
        // Four decimals as proposed; BigDecimal keeps 0.9034 from being written as 0.90339999.
        thresholds.forEach((glob, v) -> t.put(glob, BigDecimal.valueOf(v).stripTrailingZeros()));
        try {
            return YAML.writeValueAsString(top);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the configuration: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode object(ObjectNode parent, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return parent.putObject(field);
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(field + ": " + n.getNodeType() + " (expected: a mapping)");
        }
        return (ObjectNode) n;
    }
}
