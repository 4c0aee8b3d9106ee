package dev.sluice.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sluice.pipeline.Exchange;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.settle.PriceTable;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a model can take, for a degrade's choice ({@code budget/model-limits.yaml}). A degrade once served Claude
 * Code's Opus 4.6 turn (adaptive thinking, or {@code max_tokens} above 64,000) on Haiku 4.5, which answers both with a
 * 400: the budget meant a cheaper answer and the developer got an error (round 23). A model the file does not list is
 * taken to accept anything. A {@code max_tokens} above the cheaper model's output limit does not rule it out: the
 * degrade lowers it to that limit ({@link #clampMaxTokens}), as Claude Code asks 128,000 of every Opus turn and would
 * otherwise never be degraded at all; only a thinking budget at or above that limit (it must stay below max_tokens) does.
 */
final class ModelLimits {
    static final String RESOURCE = "/budget/model-limits.yaml";
    private static final ModelLimits BUILT_IN = load();

    private final List<Entry> entries;

    /** One model's limits. */
    record Entry(String model, long maxOutput, boolean adaptiveThinking, boolean effort) {
    }

    /**
     * What a request asks of the model that serves it.
     *
     * @param maxTokens        its {@code max_tokens}, or -1
     * @param adaptiveThinking {@code thinking: {type: adaptive}}
     * @param effort           an {@code output_config.effort}
     * @param thinkingBudget   {@code thinking.budget_tokens} of enabled thinking, or -1
     */
    record Needs(long maxTokens, boolean adaptiveThinking, boolean effort, long thinkingBudget) {
        static final Needs NONE = new Needs(-1, false, false, -1);

        Needs(long maxTokens, boolean adaptiveThinking, boolean effort) {
            this(maxTokens, adaptiveThinking, effort, -1);
        }
    }

    ModelLimits(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    static ModelLimits builtIn() {
        return BUILT_IN;
    }

    /** The models that can take a request with these needs. */
    Predicate<String> canTake(Needs needs) {
        if (needs.equals(Needs.NONE)) {
            return m -> true;
        }
        return m -> {
            Entry e = find(m);
            return e == null || ((needs.maxTokens() <= e.maxOutput() || needs.thinkingBudget() < e.maxOutput())
                    && (!needs.adaptiveThinking() || e.adaptiveThinking())
                    && (!needs.effort() || e.effort()));
        };
    }

    /** The request's {@code max_tokens}, adaptive thinking and effort, from the fields the inspection pass found. */
    static Needs needs(Exchange ex) {
        RequestBody body = ex.body();
        if (body == null) {
            return new Needs(ex.facts().maxTokens(), false, false);
        }
        JsonNode thinking = field(ex, body, "thinking");
        JsonNode output = field(ex, body, "output_config");
        boolean enabled = thinking != null && "enabled".equals(thinking.path("type").asText());
        return new Needs(ex.facts().maxTokens(), thinking != null && "adaptive".equals(thinking.path("type").asText()),
                output != null && output.hasNonNull("effort"), enabled ? thinking.path("budget_tokens").asLong(-1) : -1);
    }

    /**
     * Lowers the exchange's {@code max_tokens} to what the degraded {@code model} writes at most, when it asks more: the
     * only edit a degrade makes besides the model's name (the answer can be no longer than that model writes anyway).
     *
     * @return the limit it was lowered to, or -1 when nothing changed
     */
    long clampMaxTokens(Exchange ex, String model) {
        Entry e = find(model);
        RequestFacts.Field f = ex.facts().field("max_tokens");
        if (e == null || f == null || ex.body() == null || ex.facts().maxTokens() <= e.maxOutput()) {
            return -1;
        }
        ex.body().replace(f.valueStart(), f.valueEnd(), Long.toString(e.maxOutput()).getBytes(StandardCharsets.US_ASCII),
                "budget: degrade to " + model + " max_tokens");
        return e.maxOutput();
    }

    /** A small top-level object of the body, parsed; null when absent, large or unreadable (the upstream judges it). */
    private static JsonNode field(Exchange ex, RequestBody body, String name) {
        RequestFacts.Field f = ex.facts().field(name);
        if (f == null || f.valueEnd() - f.valueStart() > 4096 || f.valueEnd() > body.length()) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(body.array(), f.valueStart(), f.valueEnd() - f.valueStart());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private Entry find(String model) {
        for (Entry e : entries) {
            if (PriceTable.sameModel(e.model(), model)) {
                return e;
            }
        }
        return null;
    }

    private static ModelLimits load() {
        try (InputStream in = ModelLimits.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath (expected: bundled in the jar)");
            }
            JsonNode models = new ObjectMapper(new YAMLFactory()).readTree(in).path("models");
            List<Entry> out = new ArrayList<>();
            models.properties().forEach(p -> out.add(new Entry(p.getKey(), p.getValue().path("max-output").asLong(Long.MAX_VALUE),
                    p.getValue().path("adaptive-thinking").asBoolean(true), p.getValue().path("effort").asBoolean(true))));
            return new ModelLimits(out);
        } catch (IOException e) {
            throw new UncheckedIOException(RESOURCE + ": unreadable", e);
        }
    }
}
