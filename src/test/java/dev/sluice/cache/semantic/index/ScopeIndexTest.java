package dev.sluice.cache.semantic.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cache.semantic.index.Anchor;
import dev.sluice.cache.semantic.embed.Vectors;
import dev.sluice.cache.semantic.guard.CodeIdentity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ScopeIndexTest {
    private static final int DIM = 64;

    static float[] random(Random r) {
        return random(r, DIM);
    }

    static float[] random(Random r, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Vectors.normalize(v);
    }

    /** {@code n} random unit vectors of {@code dim}, entry {@code "e" + i} each, added to every index in turn. */
    static float[][] fill(Random r, int n, int dim, ScopeIndex... indexes) {
        float[][] vs = new float[n][];
        for (int i = 0; i < n; i++) {
            vs[i] = random(r, dim);
            for (ScopeIndex index : indexes) {
                index.add(vs[i], entry("e" + i));
            }
        }
        return vs;
    }

    static StoredEntry entry(String id) {
        return new StoredEntry(id, CodeIdentity.of("x"), null, 0);
    }

    @Test
    void bruteForceAndHnswFindTheSameNearestEntry() {
        Random r = new Random(7);
        ScopeIndex brute = new ScopeIndex(DIM, 100_000, 100_000);
        ScopeIndex hnsw = new ScopeIndex(DIM, 16, 100_000);
        float[][] vs = fill(r, 3000, DIM, brute, hnsw);
        assertThat(brute.usesHnsw()).isFalse();
        assertThat(hnsw.usesHnsw()).isTrue();
        int agree = 0;
        for (int q = 0; q < 200; q++) {
            float[] query = vs[r.nextInt(vs.length)].clone();
            query[0] += 0.05f;
            Vectors.normalize(query);
            List<Candidate> a = brute.search(query, 1, -1);
            List<Candidate> b = hnsw.search(query, 1, -1);
            if (a.getFirst().entry().entryId().equals(b.getFirst().entry().entryId())) {
                agree++;
            }
        }
        assertThat(agree).isGreaterThanOrEqualTo(196); // HNSW is approximate; near-duplicates are found
    }

    @Test
    void removedAndEvictedEntriesAreNeverReturned_andCompactionKeepsTheRest() {
        Random r = new Random(3);
        ScopeIndex index = new ScopeIndex(DIM, 32, 50);
        float[][] vs = new float[120][];
        for (int i = 0; i < vs.length; i++) {
            vs[i] = random(r);
            index.add(vs[i], entry("e" + i));
        }
        assertThat(index.size()).isEqualTo(50); // bounded: the oldest made room
        assertThat(index.search(vs[0], 1, 0.99f)).isEmpty();
        assertThat(index.search(vs[119], 1, 0.99f)).extracting(c -> c.entry().entryId()).containsExactly("e119");
        assertThat(index.remove("e119")).isTrue();
        assertThat(index.search(vs[119], 1, 0.99f)).isEmpty();
        assertThat(index.search(vs[100], 1, 0.99f)).extracting(c -> c.entry().entryId()).containsExactly("e100");
    }

    @Test
    void registryDropsLeastRecentlyUsedIndexesOverBudget() {
        Random r = new Random(1);
        IndexRegistry registry = new IndexRegistry(DIM, 1000, 10_000, 200_000);
        for (int a = 0; a < 20; a++) {
            IndexKey key = new IndexKey("org:x", new Anchor(a, a), "m");
            for (int i = 0; i < 100; i++) {
                registry.add(key, random(r), entry("a" + a + "e" + i));
            }
        }
        assertThat(registry.ramBytes()).isLessThanOrEqualTo(200_000);
        assertThat(registry.evictedIndexes()).isPositive();
        assertThat(registry.find(new IndexKey("org:x", new Anchor(19, 19), "m"))).isPresent();
        assertThat(registry.find(new IndexKey("org:x", new Anchor(0, 0), "m"))).isEmpty();
    }

    /** A conversation's index usually holds one question: it costs one row, not room for sixteen (~27 KB at 384). */
    @Test
    void oneEntryIndexHoldsRoomForOneRow() {
        Random r = new Random(3);
        ScopeIndex index = new ScopeIndex(384, 1000, 10_000);
        index.add(random(r, 384), entry("only"));
        assertThat(index.ramBytes()).isLessThan(ScopeIndex.EMPTY_BYTES + 2 * 4 * 384 + 1_024);
        for (int i = 0; i < 40; i++) {
            index.add(random(r, 384), entry("e" + i)); // grows by doubling
        }
        assertThat(index.size()).isEqualTo(41);
    }

    /** One new conversation per request: the budget holds, and it holds several hundred of them per MiB. */
    @Test
    void registryHoldsManySmallIndexesWithinBudget() {
        Random r = new Random(4);
        IndexRegistry registry = new IndexRegistry(384, 1000, 10_000, 1 << 20);
        for (int a = 0; a < 2_000; a++) {
            registry.add(new IndexKey("org:x", new Anchor(a, a), "m"), random(r, 384), entry("a" + a));
        }
        assertThat(registry.ramBytes()).isLessThanOrEqualTo(1 << 20);
        assertThat(registry.indexCount()).isGreaterThan(200);
        assertThat(registry.evictedIndexes()).isPositive();
        assertThat(registry.find(new IndexKey("org:x", new Anchor(1_999, 1_999), "m"))).isPresent();
    }

    /** The registry's total is the sum of what its indexes hold, through stores, removals and evictions. */
    @Test
    void registryTotalFollowsItsIndexes() {
        Random r = new Random(5);
        IndexRegistry registry = new IndexRegistry(DIM, 20, 50, 1 << 20);
        List<IndexKey> keys = new java.util.ArrayList<>();
        for (int a = 0; a < 30; a++) {
            IndexKey key = new IndexKey("org:x", new Anchor(a, a), "m");
            keys.add(key);
            for (int i = 0; i < 1 + a * 3; i++) {
                registry.add(key, random(r), entry("a" + a + "e" + i));
            }
            for (int i = 0; i < a; i++) {
                registry.remove(key, "a" + a + "e" + i);
            }
        }
        long sum = keys.stream().map(registry::find).flatMap(java.util.Optional::stream).mapToLong(ScopeIndex::ramBytes).sum();
        assertThat(registry.ramBytes()).isEqualTo(sum);
    }
}
