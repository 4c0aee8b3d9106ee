package dev.sluice.cache.stage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Misses that came close: a request the response cache missed although the longest prompt prefix it shares
 * with earlier traffic was already seen. Grouped by that prefix, these are where a different tail (a new
 * question, a changed file, a developer-specific value not rewritten) cost a whole upstream call; the
 * count and the share of the request the prefix covers say where a rule or a namespace could win hits.
 * Bounded: the most recently active {@code max} prefixes per gateway are kept.
 */
final class NearMisses {
    /** One prefix's near misses. */
    record Report(String org, String prefix, String model, long misses, long prefixTokens, long requestTokens) {
        /** How much of the missed requests the shared prefix covered, 0 to 1. */
        double coverage() {
            return requestTokens == 0 ? 0 : Math.min(1.0, (double) prefixTokens / requestTokens);
        }
    }

    private static final class Counts {
        final LongAdder misses = new LongAdder();
        final LongAdder prefixTokens = new LongAdder();
        final LongAdder requestTokens = new LongAdder();
        volatile String model;
    }

    private record Key(String org, String prefix) {
    }

    private final Cache<Key, Counts> prefixes;

    NearMisses(long max) {
        this.prefixes = Caffeine.newBuilder().maximumSize(Math.max(1, max)).executor(Runnable::run).build();
    }

    void observe(String org, String prefix, String model, long prefixTokens, long requestTokens) {
        Counts c = prefixes.get(new Key(org, prefix), k -> new Counts());
        c.misses.increment();
        c.prefixTokens.add(prefixTokens);
        c.requestTokens.add(requestTokens);
        c.model = model;
    }

    /** The {@code top} prefixes by missed tokens. */
    List<Report> top(int top) {
        List<Report> out = new ArrayList<>();
        prefixes.asMap().forEach((k, c) -> out.add(new Report(k.org(), k.prefix(), c.model, c.misses.sum(),
                c.prefixTokens.sum(), c.requestTokens.sum())));
        out.sort(Comparator.comparingLong(Report::requestTokens).reversed().thenComparing(Report::prefix));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }
}
