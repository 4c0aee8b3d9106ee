package dev.sluice.cache.semantic.embed;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Map;

/**
 * One ONNX run whose inputs and output live in native buffers kept from run to run, and whose output is
 * summed over each row's real positions straight from the output buffer. The plain path
 * ({@link MiniLmModel#hiddenStates}) copies three Java arrays into fresh direct buffers per run and the
 * output into a {@code [row][position][dim]} Java array (one array per position) that the caller then
 * sums: allocation and copies on every lookup, which the verification's single short row pays on top
 * of its inference. Here the output tensor is bound in advance (ORT's pinned outputs), so ORT writes the
 * hidden states where this class reads them. Not thread-safe: the model holds one behind a lock.
 * Buffers grow to the largest run seen, up to {@link #MAX_POSITIONS} positions in all (rows × width);
 * larger runs are refused here and take the plain path.
 */
final class PooledRun implements AutoCloseable {
    /** Positions (rows × padded width) this keeps buffers for: 2,048 × 384 floats = 3 MiB of output. */
    static final int MAX_POSITIONS = 2048;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String output;
    private final int dim;
    private LongBuffer ids = LongBuffer.allocate(0);
    private LongBuffer mask = LongBuffer.allocate(0);
    private LongBuffer types = LongBuffer.allocate(0);
    private FloatBuffer hidden = FloatBuffer.allocate(0);
    private float[] row = new float[0];

    PooledRun(OrtEnvironment env, OrtSession session, String output, int dim) {
        this.env = env;
        this.session = session;
        this.output = output;
        this.dim = dim;
    }

    /** True when a run of {@code rows} × {@code width} positions fits the kept buffers' bound. */
    static boolean fits(int rows, int width) {
        return (long) rows * width <= MAX_POSITIONS;
    }

    /** Each row's sum of the last hidden state over its real positions; {@code width} is the longest row. */
    float[][] sums(int[][] rows, int width) throws OrtException {
        int positions = rows.length * width;
        ensure(positions);
        ids.clear();
        mask.clear();
        for (int[] r : rows) {
            for (int c = 0; c < width; c++) {
                ids.put(c < r.length ? r[c] : 0);
                mask.put(c < r.length ? 1 : 0);
            }
        }
        long[] shape = {rows.length, width};
        try (OnnxTensor idT = OnnxTensor.createTensor(env, ids.flip(), shape);
             OnnxTensor maskT = OnnxTensor.createTensor(env, mask.flip(), shape);
             OnnxTensor typeT = OnnxTensor.createTensor(env, types.clear().limit(positions), shape);
             OnnxTensor outT = OnnxTensor.createTensor(env, hidden.clear().limit(positions * dim),
                     new long[] {rows.length, width, dim});
             OrtSession.Result ignored = session.run(Map.of("input_ids", idT, "attention_mask", maskT, "token_type_ids", typeT),
                     Map.of(output, outT))) {
            float[][] sums = new float[rows.length][];
            for (int r = 0; r < rows.length; r++) {
                sums[r] = sum(r * width * dim, rows[r].length);
            }
            return sums;
        }
    }

    /** The sum over {@code length} positions of one row starting at float offset {@code from}. */
    private float[] sum(int from, int length) {
        int n = length * dim;
        if (row.length < n) {
            row = new float[n];
        }
        hidden.get(from, row, 0, n);
        float[] v = new float[dim];
        for (int p = 0; p < n; p += dim) {
            for (int d = 0; d < dim; d++) {
                v[d] += row[p + d];
            }
        }
        return v;
    }

    private void ensure(int positions) {
        if (ids.capacity() >= positions) {
            return;
        }
        int cap = Math.min(MAX_POSITIONS, Math.max(positions, 2 * ids.capacity()));
        ids = direct(cap).asLongBuffer();
        mask = direct(cap).asLongBuffer();
        types = direct(cap).asLongBuffer(); // zeros: one segment type throughout
        hidden = ByteBuffer.allocateDirect(cap * dim * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }

    private static ByteBuffer direct(int longs) {
        return ByteBuffer.allocateDirect(longs * Long.BYTES).order(ByteOrder.nativeOrder());
    }

    /** Direct buffers are freed with their owner; nothing native is held between runs. */
    @Override
    public void close() {
    }
}
