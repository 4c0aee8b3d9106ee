package dev.sluice.day;

import dev.sluice.settle.Meter;
import dev.sluice.settle.PriceTable;
import dev.sluice.sim.BilledUsage;
import dev.sluice.wire.Usage;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * @param trace             every answered request with what the upstream billed for it (0 for a gateway hit)
 */
record DayResult(Team.Layout layout, DayRun.Via via, int cliRuns, int requests, int answered, int gatewayHits, int wrongAnswers,
                 int missesDisagreeing, List<String> wrongDetails, int upstreamCalls, Usage usage, long nanoUsd, Duration wall,
                 List<Ablations.Priced> trace) {

    static DayResult of(Team.Layout layout, DayRun.Via via, int cliRuns, int requests, int answered, int hits, int wrong,
                        int missesDisagreeing, List<String> details, List<Tap.Exchange> seen, List<BilledUsage> billed,
                        Duration wall) {
        Meter meter = new Meter(PriceTable.builtIn());
        // Identical requests get identical seeded message ids, so one id can name several billed calls: queue them.
        Map<String, ArrayDeque<Ablations.Call>> byMessage = new HashMap<>();
        Usage total = Usage.ZERO;
        long nano = 0;
        int calls = 0;
        for (BilledUsage b : billed) {
            if (b.outcome() != BilledUsage.Outcome.COMPLETED) {
                continue;
            }
            Usage u = new Usage(b.inputTokens(), b.outputTokens(), b.cacheCreationInputTokens(), b.cacheReadInputTokens(),
                    b.ephemeral5mInputTokens(), b.ephemeral1hInputTokens(), 0, 0);
            long cost = meter.cost(b.model(), u).nanoUsd();
            total = total.plus(u);
            nano += cost;
            calls++;
            byMessage.computeIfAbsent(b.messageId(), id -> new ArrayDeque<>()).add(new Ablations.Call(u, cost));
        }
        List<Ablations.Priced> trace = new ArrayList<>();
        for (Tap.Exchange e : seen) {
            if (e.status() != 200) {
                continue;
            }
            // a hit replays a stored message id: that call was billed once, before, to the developer who missed
            ArrayDeque<Ablations.Call> queue = DayRun.servedByGateway(e.cacheStatus()) ? null : byMessage.get(AnswerContent.messageId(e.response()));
            Ablations.Call call = queue == null || queue.isEmpty() ? Ablations.Call.NONE : queue.poll();
            trace.add(new Ablations.Priced(e, call.nanoUsd(), call.usage()));
        }
        return new DayResult(layout, via, cliRuns, requests, answered, hits, wrong, missesDisagreeing, List.copyOf(details), calls,
                total, nano, wall, List.copyOf(trace));
    }

    double usd() {
        return nanoUsd / 1e9;
    }
}
