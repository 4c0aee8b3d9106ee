package dev.sluice.cache.semantic.embed;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Turns the newest user text into a unit vector. Vectors from different {@link #id()}s are never
 * compared (similarities are not comparable across models), so the id is part of every index key.
 * A text over {@link #maxTokens()} completes with an empty result: it is not comparable by meaning
 * (truncating would let two long texts that differ only at the end match).
 */
public interface Embedder extends AutoCloseable {
    /** Stable name of the model and its derivation, e.g. {@code minilm-static-v1}. */
    String id();

    int dimensions();

    /** The input cap in WordPiece tokens (excluding [CLS]/[SEP]). */
    int maxTokens();

    /** Never runs model inference on the calling thread when that could take more than microseconds. */
    CompletionStage<Optional<float[]>> embed(String text);

    @Override
    default void close() {
    }
}
