package dev.sluice.cache.learn.replay;

import dev.sluice.cache.learn.capture.Bust;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Replays a capture against policies. The store is ideal (never evicts, never lags): the replay measures what the
 * policy allows, not what a byte budget or a concurrent first request takes away, so compare policies with each
 * other and with {@link ReplayPolicy#recorded()}, whose hit rate above the recorded one is what eviction and
 * concurrency cost.
 *
 * <p>For each request in time order, under each policy: a refresh goes upstream; otherwise a fresh entry under the
 * policy's key (variant digest, scope, namespace) is a hit, saving what the request cost (or, for a recorded hit,
 * what it saved). A miss stores its answer when the gateway could have: the recorded run stored it or served it from
 * the cache. A hit whose entry's recorded answer differs from the request's own recorded answer is a
 * <em>risky</em> hit: the upstream gave another answer to this request. For sampled requests
 * ({@code temperature} above 0) two answers to one request may differ without either being wrong, so read risk as
 * an upper bound, and zero as the proof.
 */
public final class TrafficReplay {
    /**
     * One policy's outcome.
     *
     * @param compared hits where both answers were recorded (the base of the risk rate)
     */
    public record Result(ReplayPolicy policy, long requests, long cacheable, long hits, long savedNanoUsd, long spentNanoUsd,
                         long riskyHits, long compared) {
        public double hitRate() {
            return cacheable == 0 ? 0 : (double) hits / cacheable;
        }

        public double riskRate() {
            return compared == 0 ? 0 : (double) riskyHits / compared;
        }
    }

    private record Entry(long expiresAt, String answer) {
    }

    private TrafficReplay() {
    }

    public static List<Result> run(CaptureFiles.Capture capture, List<ReplayPolicy> policies) {
        List<Result> out = new ArrayList<>();
        for (ReplayPolicy p : policies) {
            out.add(run(capture, p));
        }
        return out;
    }

    static Result run(CaptureFiles.Capture capture, ReplayPolicy policy) {
        Map<String, Entry> store = new HashMap<>();
        Iterator<Bust> busts = capture.busts().iterator();
        Bust nextBust = busts.hasNext() ? busts.next() : null;
        long requests = 0;
        long cacheable = 0;
        long hits = 0;
        long saved = 0;
        long spent = 0;
        long risky = 0;
        long compared = 0;
        for (Shape s : capture.shapes()) {
            while (nextBust != null && nextBust.at() <= s.at()) {
                if (policy.busts()) {
                    bust(store, nextBust, policy);
                }
                nextBust = busts.hasNext() ? busts.next() : null;
            }
            requests++;
            String digest = s.keys().get(policy.variant(s.rules()));
            if (s.outcome().equals("bypass") || digest == null) {
                spent += s.costNanoUsd();
                continue;
            }
            cacheable++;
            String key = s.org() + "\u0000" + policy.scopeOf(s) + "\u0000" + (policy.namespaces() ? s.namespace() : "")
                    + "\u0000" + digest;
            Entry e = store.get(key);
            if (!s.outcome().equals("refresh") && e != null && s.at() < e.expiresAt()) {
                hits++;
                saved += s.valueNanoUsd();
                if (e.answer() != null && s.answer() != null) {
                    compared++;
                    if (!e.answer().equals(s.answer())) {
                        risky++;
                    }
                }
                continue;
            }
            spent += s.valueNanoUsd();
            if (s.hit() || Boolean.TRUE.equals(s.stored())) {
                long ttl = policy.ttl() != null ? policy.ttl().toMillis() : s.ttlSeconds() * 1000;
                store.put(key, new Entry(s.at() + ttl, s.answer()));
            }
        }
        return new Result(policy, requests, cacheable, hits, saved, spent, risky, compared);
    }

    /** A recorded bust empties what it busted; under a wider policy scope, the whole org's entries of that namespace. */
    private static void bust(Map<String, Entry> store, Bust b, ReplayPolicy policy) {
        String org = b.org() + "\u0000";
        store.keySet().removeIf(k -> {
            if (!k.startsWith(org)) {
                return false;
            }
            String[] parts = k.split("\u0000", 4);
            boolean scope = policy.scope() != null || b.scope().equals("org") || parts[1].equals(b.scope());
            boolean ns = b.namespace() == null || !policy.namespaces() || parts[2].equals(b.namespace());
            return scope && ns;
        });
    }
}
