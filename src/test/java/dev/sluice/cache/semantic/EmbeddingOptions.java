package dev.sluice.cache.semantic;

import dev.sluice.cache.semantic.embed.Embedder;
import dev.sluice.cache.semantic.embed.MiniLmModel;
import dev.sluice.cache.semantic.embed.StaticEmbedder;
import dev.sluice.cache.semantic.embed.StaticTable;
import dev.sluice.cache.semantic.embed.TokenWeights;
import dev.sluice.cache.semantic.embed.TransformerEmbedder;
import dev.sluice.cache.semantic.embed.Vectors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The embedding options the benchmarks compare, opened from the shipped model. */
final class EmbeddingOptions implements AutoCloseable {
    private final MiniLmModel model;
    private final Map<String, Embedder> all = new LinkedHashMap<>();

    private EmbeddingOptions(MiniLmModel model) {
        this.model = model;
    }

    static Path cacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "sluice-semantic-test");
    }

    static EmbeddingOptions open(boolean transformer) {
        MiniLmModel model = MiniLmModel.load(2);
        EmbeddingOptions o = new EmbeddingOptions(model);
        StaticTable table = StaticTable.loadOrBuild(cacheDir(), model);
        o.all.put("static-uniform", new StaticEmbedder(model.tokenizer(), table, TokenWeights.uniform(model.tokenizer()), 512));
        for (float scale : new float[] {10f, 100f, 1000f}) {
            TokenWeights w = TokenWeights.zipf(model.tokenizer(), scale, Set.of());
            o.all.put("static-" + w.name(), new StaticEmbedder(model.tokenizer(), table, w, 512));
        }
        if (transformer) {
            o.all.put("transformer", new TransformerEmbedder(model, 256, 1, 16, 1024));
        }
        return o;
    }

    Map<String, Embedder> all() {
        return all;
    }

    /** A similarity between two texts: a dot product of embeddings, or a re-scoring on top of one. */
    interface Scorer {
        double similarity(String a, String b);
    }

    Map<String, Scorer> scorers() {
        Map<String, Scorer> out = new LinkedHashMap<>();
        all.forEach((name, e) -> out.put(name, (a, b) -> Vectors.dot(vector(e, a), vector(e, b))));
        Embedder retrieval = all.get("static-zipf100");
        Embedder verify = all.get("transformer");
        if (verify != null) {
            for (double pre : new double[] {0.80, 0.85, 0.90}) {
                out.put("hybrid(static-zipf100>=" + pre + ")+transformer", (a, b) ->
                        Vectors.dot(vector(retrieval, a), vector(retrieval, b)) >= pre
                                ? Vectors.dot(vector(verify, a), vector(verify, b)) : 0);
            }
        }
        return out;
    }

    static float[] vector(Embedder e, String text) {
        return e.embed(text).toCompletableFuture().join().orElseThrow();
    }

    @Override
    public void close() {
        all.values().forEach(Embedder::close);
        model.close();
    }
}
