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
}
