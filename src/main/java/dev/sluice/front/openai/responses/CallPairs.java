package dev.sluice.front.openai.responses;

import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code function_call} and {@code function_call_output} items of one request, paired by {@code call_id} as they
 * are read: an output must answer a call before it that has no output yet. Such an output (none before it, or one
 * too many) went upstream as a {@code tool_result} without its {@code tool_use}, which no upstream accepts, and came
 * back as the upstream's 400 in its words a round trip later; OpenAI's own endpoint refuses it as well. An id used by
 * two calls, each answered in turn, is let through (hand-written histories reuse {@code call_1}, and some upstreams
 * take it), as is a call still waiting for its output: the upstream judges those.
 */
final class CallPairs {
    /** Per call id, how many calls with it are still waiting for an output. Bounded by the request's item count. */
    private final Map<String, Integer> waiting = new HashMap<>();

    void call(String callId) {
        waiting.merge(callId, 1, Integer::sum);
    }

    /** @throws ApiError 400 when no call before this output with {@code callId} is waiting for one */
    void output(String callId, String where) {
        Integer n = waiting.get(callId);
        if (n == null || n == 0) {
            throw ApiError.invalidRequest(where + ".call_id: no function_call before this output with call_id '"
                    + Bounded.text(callId, 64) + "' is waiting for one (expected: each function_call_output after the "
                    + "function_call it answers, once)");
        }
        waiting.put(callId, n - 1);
    }
}
