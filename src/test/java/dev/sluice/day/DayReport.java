package dev.sluice.day;

import java.util.List;
import java.util.Locale;

/** The results table: per layout, the direct run and the run through Sluice, and spend relative to direct. */
final class DayReport {

    private DayReport() {
    }

    static String table(List<DayResult> results) {
        StringBuilder t = new StringBuilder();
        t.append("| layout | via | CLI runs | requests | gateway hits | upstream calls | input | cache write | cache read"
                + " | output | spend USD | vs direct | wrong answers | oracle disagreements on misses | wall s |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (DayResult r : results) {
            DayResult direct = results.stream().filter(d -> d.layout() == r.layout() && d.via() == DayRun.Via.DIRECT)
                    .findFirst().orElse(null);
            String ratio = direct == null || direct.nanoUsd() == 0 ? "-" : fmt("%.2f×", (double) r.nanoUsd() / direct.nanoUsd());
            t.append(fmt("| %s | %s | %d | %d | %d | %d | %d | %d | %d | %d | %.4f | %s | %d | %d | %d |\n",
                    r.layout(), r.via(), r.cliRuns(), r.requests(), r.gatewayHits(), r.upstreamCalls(), r.usage().inputTokens(),
                    r.usage().cacheCreationInputTokens(), r.usage().cacheReadInputTokens(), r.usage().outputTokens(), r.usd(),
                    ratio, r.wrongAnswers(), r.missesDisagreeing(), r.wall().toSeconds()));
        }
        return t.toString();
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** The naive caches of the issue, estimated on each direct run's trace (see {@link Ablations}). */
    static String ablations(List<DayResult> results) {
        StringBuilder t = new StringBuilder("| layout | cache | requests | hits | wrong answers | spend USD | vs direct |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|\n");
        for (DayResult direct : results) {
            if (direct.via() != DayRun.Via.DIRECT || direct.nanoUsd() == 0) {
                continue;
            }
            for (Ablations.Estimate e : List.of(
                    Ablations.estimate("plain exact (body minus metadata.user_id), estimated", direct.trace(), Ablations::exactKey),
                    Ablations.estimate("last user text, estimated", direct.trace(), Ablations::lastUserTextKey))) {
                t.append(fmt("| %s | %s | %d | %d | %d | %.4f | %.2f× |\n", direct.layout(), e.name(), e.requests(), e.hits(),
                        e.wrong(), e.nanoUsd() / 1e9, (double) e.nanoUsd() / direct.nanoUsd()));
            }
        }
        return t.toString();
    }

    /**
     * Per step of the day, for one layout: what direct paid, what the run through Sluice paid and how many of its
     * requests were gateway hits. Shows which steps the savings come from and which steps they are lost in.
     */
    static String steps(List<DayResult> results, Team.Layout layout) {
        DayResult direct = find(results, layout, DayRun.Via.DIRECT);
        DayResult sluice = find(results, layout, DayRun.Via.SLUICE);
        if (direct == null || sluice == null) {
            return "";
        }
        java.util.List<Scenario.Step> steps = Scenario.steps();
        StringBuilder t = new StringBuilder("| step | developer | question | requests | hits | direct USD | Sluice USD |\n");
        t.append("|---:|---|---|---:|---:|---:|---:|\n");
        long[] sums = new long[2];
        for (int i = 0; i < steps.size(); i++) {
            final int step = i;
            String who;
            String what;
            switch (steps.get(i)) {
                case Scenario.Step.Commit c -> {
                    t.append(fmt("| %d | | commit: %s | | | | |\n", i, c.message()));
                    continue;
                }
                case Scenario.Step.Ask a -> {
                    who = a.developer();
                    what = a.question();
                }
                case Scenario.Step.FollowUp f -> {
                    who = f.developer();
                    what = "--resume " + f.resumes() + ": " + Scenario.SUMMARY;
                }
            }
            List<Ablations.Priced> d = direct.trace().stream().filter(p -> p.exchange().step() == step).toList();
            List<Ablations.Priced> s = sluice.trace().stream().filter(p -> p.exchange().step() == step).toList();
            if (d.isEmpty() && s.isEmpty()) {
                continue;
            }
            long dc = d.stream().mapToLong(Ablations.Priced::nanoUsd).sum();
            long sc = s.stream().mapToLong(Ablations.Priced::nanoUsd).sum();
            sums[0] += dc;
            sums[1] += sc;
            long hits = s.stream().filter(p -> DayRun.servedByGateway(p.exchange().cacheStatus())).count();
            t.append(fmt("| %d | %s | %s | %d | %d | %.4f | %.4f |\n", i, who, what, s.size(), hits, dc / 1e9, sc / 1e9));
        }
        t.append(fmt("| | | total (priced by message id; billed totals %.4f / %.4f) | | | %.4f | %.4f |\n",
                direct.usd(), sluice.usd(), sums[0] / 1e9, sums[1] / 1e9));
        return t.toString();
    }

    private static DayResult find(List<DayResult> results, Team.Layout layout, DayRun.Via via) {
        return results.stream().filter(r -> r.layout() == layout && r.via() == via).findFirst().orElse(null);
    }

    /**
     * Every answered request of a run as CSV: its step, developer, gateway status, what the upstream billed for
     * it, and the {@code cc_version} of Claude Code's billing-header system block (it varies with the first prompt
     * and sits before the rest of the system prompt, so it decides which cached system prefix a request can read).
     */
    static String calls(DayResult r) {
        StringBuilder t = new StringBuilder("step,developer,status,input,cache_write,cache_read,output,usd,cc_version\n");
        for (Ablations.Priced p : r.trace()) {
            t.append(fmt("%d,%s,%s,%d,%d,%d,%d,%.6f,%s\n", p.exchange().step(), p.exchange().developer(),
                    p.exchange().cacheStatus() == null ? "direct" : p.exchange().cacheStatus(), p.usage().inputTokens(),
                    p.usage().cacheCreationInputTokens(), p.usage().cacheReadInputTokens(), p.usage().outputTokens(),
                    p.nanoUsd() / 1e9, ccVersion(p.exchange().request())));
        }
        return t.toString();
    }

    private static String ccVersion(byte[] request) {
        String body = new String(request, java.nio.charset.StandardCharsets.UTF_8);
        int at = body.indexOf("cc_version=");
        if (at < 0) {
            return "";
        }
        int end = at + 11;
        while (end < body.length() && body.charAt(end) != ';' && body.charAt(end) != '"') {
            end++;
        }
        return body.substring(at + 11, end);
    }
}
