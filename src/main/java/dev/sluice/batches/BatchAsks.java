package dev.sluice.batches;

import dev.sluice.budget.InputTokens;
import dev.sluice.budget.engine.BudgetRequest;
import dev.sluice.pipeline.Identity;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a batch asks of its caller's budgets, as budget requests to reserve together before it is created.
 *
 * <p>Why in parts: a budget admits a request while what is in flight has not reached its line, and so lets the last one
 * overshoot by at most its own worst case (see {@code dev.sluice.budget.counter}). For one message that is small; a
 * batch taken as one request would overshoot by the worst case of all its requests. Taken as one request each, holding
 * all their reservations at once, it would bound the overshoot by one request but cost a counter round trip per
 * request. So the requests are grouped into parts of about a {@value #PARTS}th of the batch's worst case (never less
 * than its largest request's, one model a part), reserved one after another and held together: the batch is refused
 * when its parts reach the line, and the overshoot is at most one part.
 *
 * <p>A request's input counts as the budget stage counts a message's body ({@link InputTokens#textOnly}: the estimate at
 * the ratio learned for its model, the bound one token a byte plus the API's framing) and its output as its
 * {@code max_tokens}; priced by the budgets at the standard rate, twice a batch's, so a batch near the line is refused
 * rather than let through.
 */
final class BatchAsks {
    static final int PARTS = 64;

    private final InputTokens inputs;
    private final Map<String, Integer> modelIndex = new LinkedHashMap<>();
    private int[] model = new int[64];
    private long[] estimate = new long[64];
    private long[] bound = new long[64];
    private long[] maxTokens = new long[64];
    private int n;

    BatchAsks(InputTokens inputs) {
        this.inputs = inputs;
    }

    void add(String servedModel, int forwardedBytes, long requestMaxTokens) {
        if (n == model.length) {
            model = Arrays.copyOf(model, n * 2);
            estimate = Arrays.copyOf(estimate, n * 2);
            bound = Arrays.copyOf(bound, n * 2);
            maxTokens = Arrays.copyOf(maxTokens, n * 2);
        }
        InputTokens.Count in = inputs.textOnly(servedModel, forwardedBytes);
        model[n] = modelIndex.computeIfAbsent(servedModel, m -> modelIndex.size());
        estimate[n] = in.estimate();
        bound[n] = in.bound();
        maxTokens[n] = Math.max(0, requestMaxTokens);
        n++;
    }

    /** The parts to reserve, attempts 1, 2, ... of {@code requestId}. */
    List<BudgetRequest> parts(String requestId, Identity who) {
        long total = 0;
        long largest = 0;
        for (int i = 0; i < n; i++) {
            long w = worst(i);
            total += w;
            largest = Math.max(largest, w);
        }
        long limit = Math.max(largest, (total + PARTS - 1) / PARTS);
        List<BudgetRequest> parts = new ArrayList<>();
        for (Map.Entry<String, Integer> m : modelIndex.entrySet()) {
            long partEstimate = 0;
            long partBound = 0;
            long partMax = 0;
            for (int i = 0; i < n; i++) {
                if (model[i] != m.getValue()) {
                    continue;
                }
                if (partBound > 0 && partBound + partMax + worst(i) > limit) {
                    parts.add(new BudgetRequest(requestId, parts.size() + 1, who, m.getKey(), partEstimate, partBound, partMax));
                    partEstimate = 0;
                    partBound = 0;
                    partMax = 0;
                }
                partEstimate += estimate[i];
                partBound += bound[i];
                partMax += maxTokens[i];
            }
            if (partBound > 0) {
                parts.add(new BudgetRequest(requestId, parts.size() + 1, who, m.getKey(), partEstimate, partBound, partMax));
            }
        }
        return parts;
    }

    private long worst(int i) {
        return bound[i] + maxTokens[i];
    }
}
