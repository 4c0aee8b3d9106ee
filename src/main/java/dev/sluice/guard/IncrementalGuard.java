package dev.sluice.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.guard.engine.BodyWalker;
import dev.sluice.guard.incremental.JsonSkip;
import dev.sluice.guard.incremental.MessageSpans;
import dev.sluice.guard.incremental.PrefixHashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Scans a growing conversation without reading it from the start every turn.
 *
 * <p>Claude Code sends the whole conversation each turn; turn N+1 is turn N plus an answer and a new user
 * message. What this keeps, in a bounded Caffeine cache:
 * <ol>
 *   <li>For the last few message boundaries of every scanned body, keyed by the digest of the exact bytes
 *       before the boundary ({@link PrefixHashes}) and the policy: the findings in those bytes. Findings are
 *       byte ranges, and equal prefixes have equal offsets, so they hold as they are for the next body.</li>
 *   <li>For the system prompt and the tool definitions, which Claude Code sends after the messages and which
 *       rarely change within a session, keyed by the digest of their own bytes: their findings, relative to
 *       where they start.</li>
 * </ol>
 * A new body is matched from its newest message boundary backwards (Claude Code moves its cache marker off the
 * previous last message, so the newest boundaries often differ); the scan starts after the longest known
 * prefix, and known members are skipped over. A miss costs a full scan and fills the cache.
 *
 * <p>Detection never spans two string values, so a prefix scanned alone finds exactly what a full scan finds
 * in it. Entries are scoped by {@link GuardPolicy#fingerprint()}, which includes the tenant scope.
 */
public final class IncrementalGuard {
    /** Message boundaries tried per request, newest first. */
    static final int PROBES = 8;
    /** Message boundaries remembered per scan, newest first. */
    static final int REMEMBERED = 4;
    private static final Finding[] NONE = new Finding[0];

    private final GuardScanner scanner;
    private final Cache<PrefixKey, Finding[]> prefixes;
    private final Cache<MemberKey, Finding[]> members;

    /**
     * @param maxWeight bound on the cache: entries plus the findings they hold (each side gets this much)
     * @param idle      how long an unused entry stays (an hour matches the longest prompt-cache lifetime)
     */
    public IncrementalGuard(GuardScanner scanner, long maxWeight, Duration idle) {
        this.scanner = Objects.requireNonNull(scanner, "scanner");
        if (maxWeight < 1) {
            throw new IllegalArgumentException("cache weight: " + maxWeight + " (expected: at least 1)");
        }
        this.prefixes = Caffeine.newBuilder().maximumWeight(maxWeight).<PrefixKey, Finding[]>weigher((k, v) -> 1 + v.length)
                .expireAfterAccess(idle).build();
        this.members = Caffeine.newBuilder().maximumWeight(maxWeight).<MemberKey, Finding[]>weigher((k, v) -> 1 + v.length)
                .expireAfterAccess(idle).build();
    }

    private record PrefixKey(long policy, long hi, long lo) {
    }

    private record MemberKey(long policy, String name, int length, long hi, long lo) {
    }

    /**
     * Scans what this conversation has not shown before and returns the findings of the whole body.
     *
     * @param spans  where each message is (from the body inspection, or {@link MessageSpans#find})
     * @param hashes the prefix digests of those messages ({@link PrefixHashes#compute}), shared with any exact-prefix cache
     */
    public GuardScan scan(byte[] body, int length, MessageSpans spans, PrefixHashes hashes, GuardPolicy policy) {
        Objects.requireNonNull(spans, "spans");
        Objects.requireNonNull(hashes, "hashes");
        if (hashes.count() != spans.count()) {
            throw new IllegalArgumentException("prefix hashes: " + hashes.count() + " for " + spans.count() + " messages (expected: one per message)");
        }
        long fp = policy.fingerprint();
        int n = spans.count();
        int known = -1;
        Finding[] before = NONE;
        for (int j = n - 1; j >= Math.max(0, n - PROBES); j--) {
            Finding[] cached = prefixes.getIfPresent(new PrefixKey(fp, hashes.hi(j), hashes.lo(j)));
            if (cached != null) {
                known = j;
                before = cached;
                break;
            }
        }
        Trailer trailer = new Trailer(body, length, fp, hashes);
        ScanStart start = known < 0 ? ScanStart.whole() : ScanStart.afterMessage(spans.end(known), known);
        GuardScan fresh = scanner.scan(body, length, start, policy, trailer);
        List<Finding> all = new ArrayList<>(before.length + trailer.reused.size() + fresh.findings().size());
        all.addAll(List.of(before));
        all.addAll(trailer.reused);
        all.addAll(fresh.findings());
        all.sort(Comparator.comparingInt(Finding::start).thenComparingInt(Finding::end));
        if (!fresh.truncated()) {
            trailer.remember(fresh.findings());
            for (int j = n - 1; j >= Math.max(0, n - REMEMBERED); j--) {
                int boundary = spans.end(j);
                Finding[] inside = all.stream().filter(f -> f.end() <= boundary).toArray(Finding[]::new);
                prefixes.asMap().putIfAbsent(new PrefixKey(fp, hashes.hi(j), hashes.lo(j)), inside.length == 0 ? NONE : inside);
            }
        }
        return new GuardScan(all, start.offset(), fresh.strings(), fresh.keywordHits(), before.length + trailer.reused.size(),
                fresh.truncated());
    }

    /** Skips the system prompt and tool definitions when their exact bytes were scanned before. */
    private final class Trailer implements BodyWalker.MemberHook {
        private final byte[] body;
        private final int length;
        private final long policy;
        private final PrefixHashes hashes;
        final List<Finding> reused = new ArrayList<>();
        private final List<Object[]> missed = new ArrayList<>();

        Trailer(byte[] body, int length, long policy, PrefixHashes hashes) {
            this.body = body;
            this.length = length;
            this.policy = policy;
            this.hashes = hashes;
        }

        @Override
        public int member(String name, int valueStart) {
            if (!name.equals("system") && !name.equals("tools")) {
                return -1;
            }
            // Computed with the prefix digests when the spans knew the member (shared with an exact-prefix cache), else here.
            long[] shared = hashes.member(name, valueStart);
            int end = shared != null ? (int) shared[2] : JsonSkip.valueEnd(body, valueStart, length);
            long[] d = shared != null ? shared : PrefixHashes.of(body, valueStart, end);
            MemberKey key = new MemberKey(policy, name, end - valueStart, d[0], d[1]);
            Finding[] cached = members.getIfPresent(key);
            if (cached == null) {
                missed.add(new Object[] {key, valueStart, end});
                return -1;
            }
            for (Finding f : cached) {
                reused.add(f.shifted(valueStart));
            }
            return end;
        }

        void remember(List<Finding> found) {
            for (Object[] m : missed) {
                int from = (int) m[1];
                int to = (int) m[2];
                Finding[] inside = found.stream().filter(f -> f.start() >= from && f.end() <= to).map(f -> f.shifted(-from))
                        .toArray(Finding[]::new);
                members.put((MemberKey) m[0], inside.length == 0 ? NONE : inside);
            }
        }
    }
}
