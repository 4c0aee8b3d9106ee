package dev.sluice.provider.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Claude model ids across providers, from the data file {@value #RESOURCE}: the Anthropic id
 * ({@code claude-sonnet-4-5-20250929}) to Bedrock's ({@code us.anthropic.claude-sonnet-4-5-20250929-v1:0})
 * and Vertex's ({@code claude-sonnet-4-5@20250929}), and back. Ids not in the file map by rule, so a
 * new model works the day it ships if the provider names it the usual way; operators override per target.
 */
public final class ClaudeModelIds {
    static final String RESOURCE = "/providers/claude-models.yaml";
    private static final Pattern DATED = Pattern.compile("^(.+)-(\\d{8})$");
    private static final Pattern BEDROCK = Pattern.compile(
            "^(?:(?:us|eu|apac|global|us-gov|jp|au)\\.)?anthropic\\.(.+?)(?:-v\\d+)?(?::\\d+)?$");
    private static final Pattern VERTEX = Pattern.compile("^(.+)@(\\d{8})$");
    private static final ClaudeModelIds BUILT_IN = load();

    private final Map<String, Entry> byId;
    private final Map<String, String> aliases;
    private final Map<String, String> byBedrock;
    private final Map<String, String> byVertex;

    /** One model: canonical id, Bedrock foundation-model id, Vertex id, context window. */
    public record Entry(String id, String bedrock, String vertex, int context) {
    }

    private ClaudeModelIds(Map<String, Entry> byId, Map<String, String> aliases) {
        this.byId = byId;
        this.aliases = aliases;
        this.byBedrock = new HashMap<>();
        this.byVertex = new HashMap<>();
        byId.values().forEach(e -> {
            byBedrock.put(e.bedrock(), e.id());
            byVertex.put(e.vertex(), e.id());
        });
    }

    public static ClaudeModelIds builtIn() {
        return BUILT_IN;
    }

    /** Every model of the data file, in no particular order. */
    public java.util.Collection<Entry> entries() {
        return java.util.Collections.unmodifiableCollection(byId.values());
    }

    /** The entry for a canonical id or alias, or null when the id is not in the data file. */
    public Entry find(String anthropicId) {
        return byId.get(canonical(anthropicId));
    }

    /** The dated canonical id for an alias; the id itself otherwise. */
    public String canonical(String anthropicId) {
        String id = anthropicId.strip().toLowerCase(Locale.ROOT);
        return aliases.getOrDefault(id, id);
    }

    /**
     * Bedrock's model id for an Anthropic id; an id that already is a Bedrock id or an ARN passes as it is.
     *
     * @param profile inference-profile prefix ({@code us}, {@code eu}, {@code apac}, {@code global}) or null for the bare id
     */
    public String bedrock(String anthropicId, String profile) {
        if (anthropicId.startsWith("arn:") || BEDROCK.matcher(anthropicId).matches()) {
            return anthropicId;
        }
        Entry e = find(anthropicId);
        String bare = e != null ? e.bedrock() : "anthropic." + canonical(anthropicId)
                + (DATED.matcher(canonical(anthropicId)).matches() ? "-v1:0" : "");
        return profile == null || profile.isBlank() ? bare : profile + "." + bare;
    }

    /** Bedrock's id without an inference-profile prefix (CountTokens refuses profile ids). */
    public static String bareBedrock(String bedrockId) {
        int dot = bedrockId.indexOf('.');
        return dot > 0 && !bedrockId.startsWith("anthropic.") && bedrockId.startsWith("anthropic.", dot + 1)
                ? bedrockId.substring(dot + 1) : bedrockId;
    }

    /** Vertex's model id for an Anthropic id; a Vertex id ({@code name@date}) passes as it is. */
    public String vertex(String anthropicId) {
        if (VERTEX.matcher(anthropicId).matches()) {
            return anthropicId;
        }
        Entry e = find(anthropicId);
        if (e != null) {
            return e.vertex();
        }
        Matcher m = DATED.matcher(canonical(anthropicId));
        return m.matches() ? m.group(1) + "@" + m.group(2) : canonical(anthropicId);
    }

    /** The Anthropic id for a Bedrock, Vertex or Anthropic id (what the meter and the client see). */
    public String fromProvider(String providerId) {
        String known = byBedrock.get(bareBedrock(providerId));
        if (known == null) {
            known = byVertex.get(providerId);
        }
        if (known != null) {
            return known;
        }
        Matcher b = BEDROCK.matcher(providerId);
        if (b.matches()) {
            return b.group(1);
        }
        Matcher v = VERTEX.matcher(providerId);
        return v.matches() ? v.group(1) + "-" + v.group(2) : providerId;
    }

    private static ClaudeModelIds load() {
        try (InputStream in = ClaudeModelIds.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            Map<String, Entry> byId = new java.util.LinkedHashMap<>(); // file order is the listing order
            for (JsonNode m : root.path("models")) {
                Entry e = new Entry(text(m, "id"), text(m, "bedrock"), text(m, "vertex"), m.path("context").asInt(200_000));
                byId.put(e.id(), e);
            }
            Map<String, String> aliases = new HashMap<>();
            root.path("aliases").properties().forEach(a -> aliases.put(a.getKey(), a.getValue().asText()));
            return new ClaudeModelIds(byId, aliases);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    private static String text(JsonNode node, String field) {
        if (!node.path(field).isTextual()) {
            throw new IllegalStateException(RESOURCE + ": entry " + node + " lacks string field '" + field + "'");
        }
        return node.get(field).asText();
    }
}
