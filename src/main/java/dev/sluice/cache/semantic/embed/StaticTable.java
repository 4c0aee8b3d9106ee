package dev.sluice.cache.semantic.embed;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vector per vocabulary token, distilled from the shipped MiniLM (the Model2Vec idea): each
 * token id goes through the transformer alone as {@code [CLS] token [SEP]} and the three output
 * positions are averaged. A sentence is then a weighted mean of its tokens' rows, which costs
 * microseconds instead of the transformer's tens of milliseconds. Building takes ~10–30 s on two
 * cores, so the table is built once and kept in a cache file keyed by the model's SHA-256.
 */
public final class StaticTable {
    private static final Logger LOG = LoggerFactory.getLogger(StaticTable.class);
    private static final int MAGIC = 0x534c5354; // "SLST"
    private static final int FORMAT = 1;
    private static final int BATCH = 256;
    /** Ids below this are [PAD], [unusedN], [UNK], [CLS], [SEP], [MASK]: no meaning of their own. */
    private static final int FIRST_REAL_TOKEN = 999;
    /** The launcher adds the module; a JVM started without it still works, with the scalar loop. */
    private static final boolean SIMD = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private final int vocab;
    private final int dim;
    private final float[] rows;

    StaticTable(int vocab, int dim, float[] rows) {
        if (rows.length != vocab * dim) {
            throw new IllegalArgumentException("rows: " + rows.length + " (expected: " + vocab * dim + ")");
        }
        this.vocab = vocab;
        this.dim = dim;
        this.rows = rows;
    }

    public int vocab() {
        return vocab;
    }

    public int dimensions() {
        return dim;
    }

    /** Adds {@code weight} × row {@code id} into {@code acc}. */
    void accumulate(int id, float weight, float[] acc) {
        int base = id * dim;
        if (SIMD) {
            SimdAxpy.add(weight, rows, base, acc, dim);
            return;
        }
        for (int d = 0; d < dim; d++) {
            acc[d] += weight * rows[base + d];
        }
    }

    /** Loads the table for {@code model} from {@code cacheDir}, building and saving it first if absent. */
    public static StaticTable loadOrBuild(Path cacheDir, MiniLmModel model) {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Path file = cacheDir.resolve("minilm-static-" + model.fingerprint().substring(0, 16) + ".bin");
        if (Files.isRegularFile(file)) {
            try {
                return read(file, model.tokenizer().vocabSize(), MiniLmModel.DIMENSIONS);
            } catch (IOException | IllegalArgumentException e) {
                LOG.warn("semantic: static table {} unreadable ({}); rebuilding", file, e.getMessage());
            }
        }
        long start = System.nanoTime();
        StaticTable table = build(model);
        LOG.info("semantic: built the static token table ({} tokens) in {} ms", table.vocab,
                (System.nanoTime() - start) / 1_000_000);
        try {
            table.write(cacheDir, file);
        } catch (IOException e) {
            LOG.warn("semantic: could not save the static table to {} ({}); it will be rebuilt next start", file, e.getMessage());
        }
        return table;
    }

    /** Runs every real vocabulary token through the transformer, {@value #BATCH} at a time. */
    public static StaticTable build(MiniLmModel model) {
        int vocab = model.tokenizer().vocabSize();
        int dim = MiniLmModel.DIMENSIONS;
        float[] rows = new float[vocab * dim];
        for (int start = FIRST_REAL_TOKEN; start < vocab; start += BATCH) {
            int n = Math.min(BATCH, vocab - start);
            int[][] batch = new int[n][];
            for (int i = 0; i < n; i++) {
                batch[i] = new int[] {WordPiece.CLS, start + i, WordPiece.SEP};
            }
            float[][][] hidden = model.hiddenStates(batch);
            for (int i = 0; i < n; i++) {
                float[] pooled = TransformerEmbedder.meanPool(hidden[i], 3);
                System.arraycopy(pooled, 0, rows, (start + i) * dim, dim);
            }
        }
        return new StaticTable(vocab, dim, rows);
    }

    static StaticTable read(Path file, int vocab, int dim) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
            if (in.readInt() != MAGIC || in.readInt() != FORMAT || in.readInt() != vocab || in.readInt() != dim) {
                throw new IllegalArgumentException("header does not match (format " + FORMAT + ", " + vocab + "x" + dim + ")");
            }
        }
        long expected = 16L + 4L * vocab * dim;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != expected) {
                throw new IllegalArgumentException("size " + ch.size() + " (expected: " + expected + ")");
            }
            ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 16, expected - 16).order(ByteOrder.LITTLE_ENDIAN);
            float[] rows = new float[vocab * dim];
            buf.asFloatBuffer().get(rows);
            return new StaticTable(vocab, dim, rows);
        }
    }

    void write(Path dir, Path file) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "static-", ".tmp");
        try {
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(tmp))) {
                out.writeInt(MAGIC);
                out.writeInt(FORMAT);
                out.writeInt(vocab);
                out.writeInt(dim);
                ByteBuffer buf = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
                for (int t = 0; t < vocab; t++) {
                    buf.clear();
                    buf.asFloatBuffer().put(rows, t * dim, dim);
                    out.write(buf.array());
                }
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | UncheckedIOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
