package dev.sluice.cache.learn.advice;

import dev.sluice.cache.learn.capture.CaptureFiles;
import dev.sluice.cache.learn.capture.Shape;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.settle.Meter;
import dev.sluice.wire.Usage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prompt-cache advice from captured traffic. Only requests that went upstream count (a gateway hit never reaches the
 * provider). A request's prompt prefixes are identified by chaining the digests of its parts as sent (tools, system,
 * each message), per organization and model, which is what the provider's cache compares.
 *
 * <p><b>1-hour TTL.</b> Every prefix a request marks with a breakpoint goes through {@link PrefixStats}, in time order:
 * the same sliding-TTL arithmetic the gateway's live statistics use, so the advice and {@code /admin/cache/prefixes}
 * agree on method.
 *
 * <p><b>Breakpoints.</b> For each request: L, the longest prefix it shares with an earlier request of the last five
 * minutes (the provider's default TTL), and R, the longest prefix it can read now (one the earlier requests wrote with
 * a breakpoint of theirs, and this request marks at or after). When L is longer than R, a breakpoint at the end of L
 * in these requests would let them read the difference: 0.9 of the input price per token gained (a read costs 0.1),
 * less the 0.25 premium of writing it once. Grouped by that prefix.
 */
public final class PromptAdvice {
    private static final long FIVE_MINUTES = 5 * 60_000L;
    private static final int MAX_TRACKED = 200_000;

    /** A place where a breakpoint would pay. */
    public record BreakpointAdvice(String prefix, String org, String model, String where, long requests, long tokensGained,
                                   long prefixTokens, long nanoUsdSaved) {
    }

    public record Report(long upstreamRequests, List<PrefixStats.Report> ttl, List<BreakpointAdvice> breakpoints) {
    }

    private PromptAdvice() {
    }

    public static Report analyse(CaptureFiles.Capture capture, Meter meter, int top) {
        PrefixStats stats = new PrefixStats(MAX_TRACKED);
        Map<String, Long> seen = lru();
        Map<String, Long> written = lru();
        Map<String, Acc> advice = new HashMap<>();
        long upstream = 0;
        for (Shape s : capture.shapes()) {
            if (s.hit() || s.raw() == null || s.raw().prefixBytes().isEmpty()) {
                continue;
            }
            upstream++;
            List<String> chain = chain(s);
            long[] tokens = tokens(s);
            int shared = -1;
            for (int i = chain.size() - 1; i >= 0; i--) {
                Long at = seen.get(chain.get(i));
                if (at != null && s.at() - at <= FIVE_MINUTES) {
                    shared = i;
                    break;
                }
            }
            int lastMark = s.breakpoints().stream().mapToInt(Shape.Breakpoint::part).max().orElse(-1);
            int readable = -1;
            for (int j = Math.min(shared, lastMark); j >= 0; j--) {
                Long at = written.get(chain.get(j));
                if (at != null && s.at() - at <= FIVE_MINUTES) {
                    readable = j;
                    break;
                }
            }
            if (shared >= 0 && shared > readable) {
                long gained = tokens[shared] - (readable >= 0 ? tokens[readable] : 0);
                int end = shared;
                Acc a = advice.computeIfAbsent(chain.get(end), k -> new Acc(s.org(), s.model(), where(end, chain.size()), tokens[end]));
                a.requests++;
                a.gained += gained;
            }
            for (Shape.Breakpoint b : s.breakpoints()) {
                if (b.part() < chain.size()) {
                    written.put(chain.get(b.part()), s.at());
                    stats.observe(chain.get(b.part()), s.model(), tokens[b.part()], s.at());
                }
            }
            for (String c : chain) {
                seen.put(c, s.at());
            }
        }
        List<BreakpointAdvice> bps = new ArrayList<>();
        advice.forEach((prefix, a) -> {
            long perToken = input(meter, a.model, 1_000_000);
            long saved = Math.round((0.9 * a.gained - 0.25 * a.prefixTokens) * perToken / 1_000_000.0);
            if (saved > 0) {
                bps.add(new BreakpointAdvice(prefix, a.org, a.model, a.where, a.requests, a.gained, a.prefixTokens, saved));
            }
        });
        bps.sort(Comparator.comparingLong(BreakpointAdvice::nanoUsdSaved).reversed().thenComparing(BreakpointAdvice::prefix));
        List<PrefixStats.Report> ttl = stats.report(meter, top).stream().filter(r -> r.sightings() > 1).toList();
        return new Report(upstream, ttl, List.copyOf(bps.subList(0, Math.min(top, bps.size()))));
    }

    private static final class Acc {
        final String org;
        final String model;
        final String where;
        final long prefixTokens;
        long requests;
        long gained;

        Acc(String org, String model, String where, long prefixTokens) {
            this.org = org;
            this.model = model;
            this.where = where;
            this.prefixTokens = prefixTokens;
        }
    }

    /** Prefix identities: org, model, then each part's digest as sent, chained. */
    static List<String> chain(Shape s) {
        Shape.Parts p = s.raw();
        List<String> parts = new ArrayList<>();
        parts.add(p.tools());
        parts.add(p.system());
        parts.addAll(p.turns());
        if (p.newest() != null) {
            parts.add(p.newest());
        }
        List<String> out = new ArrayList<>(parts.size());
        String prev = s.org() + "\u0000" + s.model();
        for (int i = 0; i < parts.size() && i < p.prefixBytes().size(); i++) {
            prev = sha(prev + "\u0000" + parts.get(i));
            out.add(prev);
        }
        return out;
    }

    /** Tokens up to the end of each part: the request's input tokens shared out by bytes (a quarter of the bytes without them). */
    private static long[] tokens(Shape s) {
        List<Long> bytes = s.raw().prefixBytes();
        long total = bytes.getLast();
        long[] out = new long[bytes.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = s.inputTokens() > 0 && total > 0 ? s.inputTokens() * bytes.get(i) / total : bytes.get(i) / 4;
        }
        return out;
    }

    private static String where(int part, int parts) {
        return switch (part) {
            case 0 -> "end of tools";
            case 1 -> "end of system";
            default -> part == parts - 1 ? "end of the newest message" : "end of message " + (part - 1) + " (of " + (parts - 2) + ")";
        };
    }

    private static long input(Meter meter, String model, long tokens) {
        return meter.cost(model == null ? "" : model, Usage.of(tokens, 0)).nanoUsd();
    }

    private static String sha(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <V> Map<String, V> lru() {
        return new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_TRACKED;
            }
        };
    }
}
