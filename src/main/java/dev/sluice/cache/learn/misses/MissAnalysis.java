package dev.sluice.cache.learn.misses;

import dev.sluice.cache.learn.capture.Bust;
import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Explains the misses of a capture. Requests are read in time order; each miss is compared only with what came
 * before it, through indexes on the real key, the whitespace-normalised key, the loose digest, the prompt without
 * its parameters, and the system-and-tools head (the last {@value #RECENT} requests per index entry), so a day of
 * traffic is analysed in one pass.
 *
 * <p>The order of the questions, for a miss M:
 * <ol>
 *   <li>M asked for a refresh: {@code refresh}.</li>
 *   <li>An earlier request had M's exact key. In M's scope and namespace: if none was stored, {@code not-stored};
 *       if a bust of that scope (or namespace) came between the stored one and M, {@code namespace-busted}; if M came
 *       after its TTL, {@code expired}; else (or when only hits on an entry stored before the window were seen)
 *       {@code evicted-or-concurrent}. Only in another namespace of the scope: {@code different-namespace}; only in
 *       another scope: {@code different-scope}.</li>
 *   <li>Else, in M's scope and namespace, the same request after whitespace normalisation ({@code whitespace-only}),
 *       after masking developer values ({@code developer-value-not-rewritten}), with other params
 *       ({@code different-model-or-params}); any of these only in another namespace or scope:
 *       {@code different-namespace} or {@code different-scope}.</li>
 *   <li>Else the earlier request with the same system and tools sharing the most turns with M: all earlier turns
 *       equal means only the question differs ({@code semantic-below-threshold} when the semantic cache reported a
 *       similarity, else {@code new-question}); otherwise {@code different-context}, naming the first turn that
 *       differs. Nothing with the same system and tools: {@code different-system-or-tools}, or {@code first-seen}.</li>
 * </ol>
 */
public final class MissAnalysis {
    static final int RECENT = 256;

    /** One analysed miss; {@code nearest} is the request id it was compared with (null when none). */
    public record Miss(String requestId, long at, String org, String scope, String model, MissPattern pattern,
                       String nearest, String detail, long nanoUsd, long inputTokens) {
    }

    /** The misses of one pattern. */
    public record Group(MissPattern pattern, long count, long nanoUsd, long inputTokens, List<Miss> examples) {
    }

    /**
     * The whole analysis.
     *
     * @param misses the first {@code limit} misses, newest first
     */
    public record Report(long requests, long hits, long missCount, long bypasses, long missedNanoUsd, boolean ledgerCosts,
                         List<Group> groups, List<Miss> misses) {
    }

    private final Map<String, Deque<Shape>> byKey = new HashMap<>();
    private final Map<String, Deque<Shape>> byWhitespace = new HashMap<>();
    private final Map<String, Deque<Shape>> byLoose = new HashMap<>();
    private final Map<String, Deque<Shape>> byPrompt = new HashMap<>();
    private final Map<String, Deque<Shape>> byHead = new HashMap<>();
    private final Map<String, Deque<Shape>> byScope = new HashMap<>();
    private final List<Bust> busts;

    private MissAnalysis(List<Bust> busts) {
        this.busts = busts;
    }

    /**
     * @param costs   what each missed request cost, by request id, from the ledger (absent ids: the capture's cost)
     * @param examples examples kept per pattern
     * @param limit   misses listed one by one
     */
    public static Report analyse(CaptureFiles.Capture capture, Function<String, Long> costs, int examples, int limit) {
        MissAnalysis a = new MissAnalysis(capture.busts());
        Map<MissPattern, List<Miss>> grouped = new EnumMap<>(MissPattern.class);
        long hits = 0;
        long bypasses = 0;
        boolean fromLedger = false;
        for (Shape s : capture.shapes()) {
            if (s.hit()) {
                hits++;
            } else if (s.outcome().equals("bypass")) {
                bypasses++;
            } else if (s.missed()) {
                Long ledger = s.requestId() == null ? null : costs.apply(s.requestId());
                fromLedger |= ledger != null;
                Miss m = a.explain(s, ledger != null ? ledger : s.valueNanoUsd());
                grouped.computeIfAbsent(m.pattern(), k -> new ArrayList<>()).add(m);
            }
            a.index(s);
        }
        List<Group> groups = new ArrayList<>();
        List<Miss> all = new ArrayList<>();
        long missed = 0;
        for (Map.Entry<MissPattern, List<Miss>> e : grouped.entrySet()) {
            List<Miss> ms = e.getValue();
            long usd = ms.stream().mapToLong(Miss::nanoUsd).sum();
            long tokens = ms.stream().mapToLong(Miss::inputTokens).sum();
            missed += usd;
            List<Miss> newest = ms.reversed();
            groups.add(new Group(e.getKey(), ms.size(), usd, tokens, List.copyOf(newest.subList(0, Math.min(examples, newest.size())))));
            all.addAll(ms);
        }
        groups.sort(Comparator.comparingLong(Group::nanoUsd).reversed().thenComparing(Group::count, Comparator.reverseOrder()));
        all.sort(Comparator.comparingLong(Miss::at).reversed());
        return new Report(capture.shapes().size(), hits, all.size(), bypasses, missed, fromLedger, List.copyOf(groups),
                List.copyOf(all.subList(0, Math.min(limit, all.size()))));
    }

    private Miss explain(Shape m, long nanoUsd) {
        Predicate<Shape> inScope = e -> e.scope().equals(m.scope()) && e.namespace().equals(m.namespace());
        if (m.outcome().equals("refresh")) {
            return miss(m, MissPattern.REFRESH, latest(byKey, keyOf(m, m.key()), e -> true), "asked to refresh", nanoUsd);
        }
        Deque<Shape> same = m.key() == null ? null : byKey.get(keyOf(m, m.key()));
        if (same != null && !same.isEmpty()) {
            return sameKey(m, same, inScope, nanoUsd);
        }
        Shape ws = latest(byWhitespace, keyOf(m, m.keys().get(Shape.Variant.REWRITE_WHITESPACE)), e -> true);
        Shape loose = latest(byLoose, keyOf(m, m.loose()), e -> true);
        Shape prompt = latest(byPrompt, keyOf(m, prompt(m)), e -> true);
        Shape wsIn = latest(byWhitespace, keyOf(m, m.keys().get(Shape.Variant.REWRITE_WHITESPACE)), inScope);
        if (wsIn != null) {
            boolean sameRewrite = Objects.equals(wsIn.keys().get(Shape.Variant.REWRITE), m.keys().get(Shape.Variant.REWRITE));
            return miss(m, sameRewrite ? MissPattern.UNEXPLAINED : MissPattern.WHITESPACE_ONLY, wsIn,
                    sameRewrite ? "key rules " + m.rules() : "line endings or trailing blanks differ", nanoUsd);
        }
        Shape looseIn = latest(byLoose, keyOf(m, m.loose()), inScope);
        if (looseIn != null) {
            return miss(m, MissPattern.DEVELOPER_VALUE, looseIn, developerDetail(m, looseIn), nanoUsd);
        }
        Shape promptIn = latest(byPrompt, keyOf(m, prompt(m)), inScope);
        if (promptIn != null) {
            return miss(m, MissPattern.DIFFERENT_MODEL_OR_PARAMS, promptIn,
                    Objects.equals(promptIn.model(), m.model()) ? "parameters or target differ" : promptIn.model() + " vs " + m.model(), nanoUsd);
        }
        Shape elsewhere = ws != null ? ws : loose != null ? loose : prompt;
        if (elsewhere != null && elsewhere.scope().equals(m.scope())) {
            return miss(m, MissPattern.DIFFERENT_NAMESPACE, elsewhere, "a near-identical request in namespace '"
                    + elsewhere.namespace() + "'", nanoUsd);
        }
        if (elsewhere != null) {
            return miss(m, MissPattern.DIFFERENT_SCOPE, elsewhere, "a near-identical request in " + elsewhere.scope(), nanoUsd);
        }
        return context(m, nanoUsd);
    }

    private Miss sameKey(Shape m, Deque<Shape> same, Predicate<Shape> inScope, long nanoUsd) {
        Shape stored = null;
        Shape served = null;
        Shape seen = null;
        Shape otherNamespace = null;
        Shape otherScope = null;
        for (Shape e : same) { // oldest first: the last match wins
            if (inScope.test(e)) {
                seen = e;
                if (Boolean.TRUE.equals(e.stored())) {
                    stored = e;
                } else if (e.hit()) {
                    served = e;
                }
            } else if (e.scope().equals(m.scope())) {
                otherNamespace = e;
            } else {
                otherScope = e;
            }
        }
        if (seen == null) {
            return otherNamespace != null
                    ? miss(m, MissPattern.DIFFERENT_NAMESPACE, otherNamespace, "namespace '" + otherNamespace.namespace() + "' vs '" + m.namespace() + "'", nanoUsd)
                    : miss(m, MissPattern.DIFFERENT_SCOPE, otherScope, otherScope.scope() + " vs " + m.scope(), nanoUsd);
        }
        if (stored == null && served != null) {
            // Served from an entry stored before the capture's window: its age is unknown.
            return miss(m, MissPattern.EVICTED_OR_CONCURRENT, served, "served from the cache " + age(m.at() - served.at())
                    + " before; stored before the window", nanoUsd);
        }
        if (stored == null) {
            String why = seen.storeReason() != null ? seen.storeReason() : seen.outcome().equals("bypass") ? seen.reason() : "no-store or no answer";
            return miss(m, MissPattern.NOT_STORED, seen, "not stored: " + why, nanoUsd);
        }
        for (Bust b : busts) {
            if (b.org().equals(m.org()) && b.scope().equals(m.scope()) && (b.namespace() == null || b.namespace().equals(m.namespace()))
                    && b.at() >= stored.at() && b.at() <= m.at()) {
                return miss(m, MissPattern.BUSTED, stored, "busted " + age(m.at() - b.at()) + " before", nanoUsd);
            }
        }
        if (Boolean.TRUE.equals(stored.stored()) && m.at() > stored.at() + stored.ttlSeconds() * 1000) {
            return miss(m, MissPattern.EXPIRED, stored, "stored " + age(m.at() - stored.at()) + " before, TTL " + age(stored.ttlSeconds() * 1000), nanoUsd);
        }
        return miss(m, MissPattern.EVICTED_OR_CONCURRENT, stored, "stored " + age(m.at() - stored.at()) + " before", nanoUsd);
    }

    private Miss context(Shape m, long nanoUsd) {
        if (m.parts() == null) {
            return miss(m, MissPattern.FIRST_SEEN, null, "no digests captured", nanoUsd);
        }
        Deque<Shape> head = byHead.get(headOf(m));
        Shape best = null;
        int bestPrefix = -1;
        if (head != null) {
            for (Shape e : head) {
                int cp = e.parts().commonPrefix(m.parts());
                if (cp >= bestPrefix) {
                    best = e;
                    bestPrefix = cp;
                }
            }
        }
        if (best != null) {
            int turns = m.parts().turns().size();
            if (bestPrefix == 2 + turns && best.parts().turns().size() == turns) {
                return Double.isNaN(m.similarity())
                        ? miss(m, MissPattern.NEW_QUESTION, best, "the newest turn differs", nanoUsd)
                        : miss(m, MissPattern.SEMANTIC_BELOW_THRESHOLD, best, "similarity " + m.similarity(), nanoUsd);
            }
            int first = bestPrefix - 2;
            return miss(m, MissPattern.DIFFERENT_CONTEXT, best, first < turns
                    ? "turn " + (first + 1) + " of " + (turns + 1) + " differs" : "the earlier request had more turns", nanoUsd);
        }
        Deque<Shape> scope = byScope.get(scopeOf(m));
        if (scope != null && !scope.isEmpty()) {
            Shape e = scope.getLast();
            String what = !Objects.equals(e.parts().tools(), m.parts().tools())
                    ? !Objects.equals(e.parts().system(), m.parts().system()) ? "system and tools differ" : "tools differ"
                    : "system differs";
            return miss(m, MissPattern.DIFFERENT_SYSTEM_OR_TOOLS, e, what, nanoUsd);
        }
        return miss(m, MissPattern.FIRST_SEEN, null, "nothing earlier in " + m.scope(), nanoUsd);
    }

    private static String developerDetail(Shape m, Shape e) {
        List<String> differ = new ArrayList<>();
        for (String p : m.bindings().keySet()) {
            if (!Objects.equals(m.bindings().get(p), e.bindings().get(p))) {
                differ.add(p);
            }
        }
        return differ.isEmpty() ? "a path, user name, id or date outside what the keyer rewrites"
                : "rewritten " + String.join(", ", differ) + " differ, and a value outside them too";
    }

    private void index(Shape s) {
        if (s.key() != null) {
            add(byKey, keyOf(s, s.key()), s);
        }
        if (s.parts() == null) {
            return;
        }
        add(byWhitespace, keyOf(s, s.keys().get(Shape.Variant.REWRITE_WHITESPACE)), s);
        add(byLoose, keyOf(s, s.loose()), s);
        add(byPrompt, keyOf(s, prompt(s)), s);
        add(byHead, headOf(s), s);
        add(byScope, scopeOf(s), s);
    }

    private static void add(Map<String, Deque<Shape>> index, String key, Shape s) {
        if (key == null) {
            return;
        }
        Deque<Shape> d = index.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (d.size() == RECENT) {
            d.removeFirst();
        }
        d.addLast(s);
    }

    private static Shape latest(Map<String, Deque<Shape>> index, String key, Predicate<Shape> which) {
        Deque<Shape> d = key == null ? null : index.get(key);
        if (d == null) {
            return null;
        }
        for (var it = d.descendingIterator(); it.hasNext(); ) {
            Shape e = it.next();
            if (which.test(e)) {
                return e;
            }
        }
        return null;
    }

    private static String keyOf(Shape s, String digest) {
        return digest == null ? null : s.org() + "\u0000" + digest;
    }

    private static String prompt(Shape s) {
        Shape.Parts p = s.parts();
        return p == null ? null : p.tools() + "|" + p.system() + "|" + String.join(",", p.turns()) + "|" + p.newest();
    }

    private static String headOf(Shape s) {
        return scopeOf(s) + "\u0000" + s.parts().tools() + "|" + s.parts().system();
    }

    private static String scopeOf(Shape s) {
        return s.org() + "\u0000" + s.scope() + "\u0000" + s.namespace();
    }

    private static Miss miss(Shape m, MissPattern p, Shape nearest, String detail, long nanoUsd) {
        return new Miss(m.requestId(), m.at(), m.org(), m.scope(), m.model(), p, nearest == null ? null : nearest.requestId(),
                detail, nanoUsd, m.inputTokens());
    }

    /** {@code 2h 5m}, {@code 40s}: short, for details. */
    static String age(long millis) {
        long s = Math.max(0, millis / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + (s % 3600 >= 60 ? " " + (s % 3600 / 60) + "m" : "");
        }
        return (s / 86_400) + "d" + (s % 86_400 >= 3600 ? " " + (s % 86_400 / 3600) + "h" : "");
    }
}
