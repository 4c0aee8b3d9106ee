package dev.sluice.cache.learn;

import dev.sluice.cache.learn.capture.Shape;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Hand-made shapes for the analysis and replay tests: digests are just the strings given. */
public final class ShapeBuilder {
    private final String id;
    private long at;
    private String org = "acme";
    private String scope = "org";
    private String user = "alice";
    private String ns = "";
    private String outcome = "miss";
    private Boolean stored = true;
    private String storeReason;
    private long ttl = 3600;
    private String params = "p";
    private String tools = "t";
    private String system = "s";
    private List<String> turns = List.of();
    private String newest = "q";
    private String ws;
    private String loose;
    private String key;
    private long cost = 1_000_000;
    private String answer = "a";
    private double similarity = Double.NaN;
    private List<Shape.Breakpoint> breakpoints = List.of();
    private Map<String, String> bindings = Map.of();

    private ShapeBuilder(String id) {
        this.id = id;
    }

    public static ShapeBuilder shape(String id) {
        return new ShapeBuilder(id);
    }

    public ShapeBuilder at(long minutes) { this.at = minutes * 60_000; return this; }
    public ShapeBuilder atMillis(long millis) { this.at = millis; return this; }
    public ShapeBuilder org(String v) { this.org = v; return this; }
    public ShapeBuilder scope(String v) { this.scope = v; return this; }
    public ShapeBuilder user(String v) { this.user = v; return this; }
    public ShapeBuilder ns(String v) { this.ns = v; return this; }
    public ShapeBuilder outcome(String v) { this.outcome = v; return this; }
    public ShapeBuilder stored(Boolean v, String reason) { this.stored = v; this.storeReason = reason; return this; }
    public ShapeBuilder ttl(long seconds) { this.ttl = seconds; return this; }
    public ShapeBuilder params(String v) { this.params = v; return this; }
    public ShapeBuilder tools(String v) { this.tools = v; return this; }
    public ShapeBuilder system(String v) { this.system = v; return this; }
    public ShapeBuilder turns(String... v) { this.turns = List.of(v); return this; }
    public ShapeBuilder newest(String v) { this.newest = v; return this; }
    public ShapeBuilder whitespaceKey(String v) { this.ws = v; return this; }
    public ShapeBuilder loose(String v) { this.loose = v; return this; }
    public ShapeBuilder key(String v) { this.key = v; return this; }
    public ShapeBuilder cost(long nanoUsd) { this.cost = nanoUsd; return this; }
    public ShapeBuilder answer(String v) { this.answer = v; return this; }
    public ShapeBuilder similarity(double v) { this.similarity = v; return this; }
    public ShapeBuilder breakpoints(Shape.Breakpoint... v) { this.breakpoints = List.of(v); return this; }
    public ShapeBuilder bindings(Map<String, String> v) { this.bindings = v; return this; }

    public Shape build() {
        String all = params + "|" + tools + "|" + system + "|" + String.join(",", turns) + "|" + newest;
        String realKey = key != null ? key : "K(" + all + ")";
        Map<Shape.Variant, String> keys = new EnumMap<>(Shape.Variant.class);
        keys.put(Shape.Variant.EXACT, realKey);
        keys.put(Shape.Variant.WHITESPACE, ws != null ? ws : realKey);
        keys.put(Shape.Variant.REWRITE, realKey);
        keys.put(Shape.Variant.REWRITE_WHITESPACE, ws != null ? ws : realKey);
        List<Long> prefix = new ArrayList<>();
        long total = 0;
        total += 4000; prefix.add(total);
        total += 8000; prefix.add(total);
        for (int i = 0; i < turns.size(); i++) {
            total += 2000; prefix.add(total);
        }
        total += 400; prefix.add(total);
        Shape.Parts parts = new Shape.Parts(params, tools, system, turns, newest, prefix);
        boolean hit = outcome.equals("hit");
        return new Shape(at, id, org, scope, user, null, ns, "claude-sonnet-4-5", true, outcome, null,
                outcome.equals("miss") ? stored : null, storeReason, ttl, "sluice-key/1", List.of(), bindings, realKey, keys,
                parts, parts, loose != null ? loose : "L(" + all + ")", total / 4, 100, 0, 0, hit ? 0 : cost, cost, answer,
                breakpoints, similarity, null);
    }
}
