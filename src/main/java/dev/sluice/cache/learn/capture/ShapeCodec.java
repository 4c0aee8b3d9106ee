package dev.sluice.cache.learn.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One capture line per request (or bust), as JSON. Version 1; unknown fields are ignored on reading, so a newer
 * gateway's capture still replays here.
 */
public final class ShapeCodec {
    static final int VERSION = 1;

    private ShapeCodec() {
    }

    /** A line that is either a request shape or a bust. */
    public sealed interface Line permits ShapeLine, BustLine {
    }

    public record ShapeLine(Shape shape) implements Line {
    }

    public record BustLine(Bust bust) implements Line {
    }

    public static String write(Shape s) {
        ObjectNode o = Json.MAPPER.createObjectNode().put("v", VERSION).put("type", "request").put("at", s.at())
                .put("id", s.requestId()).put("org", s.org()).put("scope", s.scope()).put("user", s.user())
                .put("team", s.team()).put("ns", s.namespace()).put("model", s.model()).put("stream", s.stream())
                .put("outcome", s.outcome()).put("reason", s.reason());
        if (s.stored() != null) {
            o.put("stored", s.stored());
        }
        o.put("store_reason", s.storeReason()).put("ttl_s", s.ttlSeconds()).put("rules", s.rules());
        ArrayNode rw = o.putArray("rewritten");
        s.rewritten().forEach(rw::add);
        ObjectNode b = o.putObject("bindings");
        new java.util.TreeMap<>(s.bindings()).forEach(b::put); // sorted: the same shape is always the same line
        o.put("key", s.key());
        ObjectNode k = o.putObject("keys");
        for (Shape.Variant v : Shape.Variant.values()) {
            if (s.keys().containsKey(v)) {
                k.put(v.label(), s.keys().get(v));
            }
        }
        if (s.parts() != null) {
            parts(o.putObject("parts"), s.parts());
        }
        if (s.raw() != null) {
            parts(o.putObject("raw"), s.raw());
        }
        o.put("loose", s.loose()).put("in", s.inputTokens()).put("out", s.outputTokens())
                .put("cache_read", s.cacheReadTokens()).put("cache_write", s.cacheWriteTokens())
                .put("cost_nusd", s.costNanoUsd()).put("value_nusd", s.valueNanoUsd()).put("answer", s.answer());
        ArrayNode bp = o.putArray("breakpoints");
        s.breakpoints().forEach(p -> bp.addObject().put("part", p.part()).put("ttl", p.ttl()));
        if (!Double.isNaN(s.similarity())) {
            o.put("similarity", s.similarity());
        }
        if (s.text() != null) {
            o.put("text", s.text());
        }
        return o.toString();
    }

    public static String write(Bust b) {
        return Json.MAPPER.createObjectNode().put("v", VERSION).put("type", "bust").put("at", b.at()).put("org", b.org())
                .put("scope", b.scope()).put("ns", b.namespace()).toString();
    }

    private static void parts(ObjectNode o, Shape.Parts p) {
        o.put("params", p.params()).put("tools", p.tools()).put("system", p.system());
        ArrayNode t = o.putArray("turns");
        p.turns().forEach(t::add);
        o.put("newest", p.newest());
        ArrayNode bytes = o.putArray("prefix_bytes");
        p.prefixBytes().forEach(bytes::add);
    }

    /**
     * Reads one line.
     *
     * @throws IllegalArgumentException naming what is wrong with it
     */
    public static Line read(String line) {
        JsonNode o;
        try {
            o = Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage());
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        if (o.path("v").asInt(-1) != VERSION) {
            throw new IllegalArgumentException("capture version " + o.path("v") + " (expected: " + VERSION + ")");
        }
        String type = o.path("type").asText("");
        if (type.equals("bust")) {
            return new BustLine(new Bust(o.path("at").asLong(), text(o, "org"), text(o, "scope"), text(o, "ns")));
        }
        if (!type.equals("request")) {
            throw new IllegalArgumentException("type '" + type + "' (expected: request or bust)");
        }
        if (!o.path("at").canConvertToLong() || text(o, "org") == null || text(o, "scope") == null || text(o, "outcome") == null) {
            throw new IllegalArgumentException("a request line needs at, org, scope and outcome");
        }
        List<String> rewritten = new ArrayList<>();
        o.path("rewritten").forEach(n -> rewritten.add(n.asText()));
        Map<String, String> bindings = new LinkedHashMap<>();
        o.path("bindings").properties().forEach(e -> bindings.put(e.getKey(), e.getValue().asText()));
        Map<Shape.Variant, String> keys = new EnumMap<>(Shape.Variant.class);
        o.path("keys").properties().forEach(e -> keys.put(Shape.Variant.byLabel(e.getKey()), e.getValue().asText()));
        List<Shape.Breakpoint> bps = new ArrayList<>();
        o.path("breakpoints").forEach(n -> bps.add(new Shape.Breakpoint(n.path("part").asInt(), n.path("ttl").asText("5m"))));
        return new ShapeLine(new Shape(o.path("at").asLong(), text(o, "id"), text(o, "org"), text(o, "scope"), text(o, "user"),
                text(o, "team"), text(o, "ns"), text(o, "model"), o.path("stream").asBoolean(), text(o, "outcome"),
                text(o, "reason"), o.has("stored") && !o.get("stored").isNull() ? o.get("stored").asBoolean() : null,
                text(o, "store_reason"), o.path("ttl_s").asLong(), text(o, "rules"), rewritten, bindings, text(o, "key"), keys,
                parts(o.get("parts")), parts(o.get("raw")), text(o, "loose"), o.path("in").asLong(), o.path("out").asLong(),
                o.path("cache_read").asLong(), o.path("cache_write").asLong(), o.path("cost_nusd").asLong(),
                o.path("value_nusd").asLong(), text(o, "answer"), bps,
                o.has("similarity") ? o.get("similarity").asDouble() : Double.NaN, text(o, "text")));
    }

    private static Shape.Parts parts(JsonNode p) {
        if (p == null || !p.isObject()) {
            return null;
        }
        List<String> turns = new ArrayList<>();
        p.path("turns").forEach(n -> turns.add(n.asText()));
        List<Long> bytes = new ArrayList<>();
        p.path("prefix_bytes").forEach(n -> bytes.add(n.asLong()));
        return new Shape.Parts(text(p, "params"), text(p, "tools"), text(p, "system"), turns, text(p, "newest"), bytes);
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : n.asText();
    }
}
