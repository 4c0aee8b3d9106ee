package dev.sluice.day;

import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.sim.BilledUsage;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.util.List;

/**
 * What one run of the day measured.
 *
 * @param cliRuns           Claude Code invocations
 * @param requests          Messages requests the CLI sent
 * @param answered          of those, answered 200
 * @param gatewayHits       answers served from the gateway's cache
 * @param wrongAnswers      hits whose content differs from the oracle's answer to that exact request
 * @param missesDisagreeing upstream answers that differ from the oracle's (a broken oracle, expected 0)
 * @param upstreamCalls     Messages requests the upstream billed
 * @param usage             their summed usage
 * @param nanoUsd           their cost under the built-in price table
 */
record DayResult(Team.Layout layout, DayRun.Via via, int cliRuns, int requests, int answered, int gatewayHits, int wrongAnswers,
                 int missesDisagreeing, List<String> wrongDetails, int upstreamCalls, Usage usage, long nanoUsd, Duration wall) {

    static DayResult of(Team.Layout layout, DayRun.Via via, int cliRuns, int requests, int answered, int hits, int wrong,
                        int missesDisagreeing, List<String> details, List<BilledUsage> billed, Duration wall) {
        Meter meter = new Meter(PriceTable.builtIn());
        Usage total = Usage.ZERO;
        long nano = 0;
        int calls = 0;
        for (BilledUsage b : billed) {
            if (b.outcome() != BilledUsage.Outcome.COMPLETED) {
                continue;
            }
            Usage u = new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(), b.cacheReadInputTokens(),
                    b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0);
            total = total.plus(u);
            nano += meter.cost(b.model(), u).nanoUsd();
            calls++;
        }
        return new DayResult(layout, via, cliRuns, requests, answered, hits, wrong, missesDisagreeing, List.copyOf(details), calls,
                total, nano, wall);
    }

    double usd() {
        return nanoUsd / 1e9;
    }
}
