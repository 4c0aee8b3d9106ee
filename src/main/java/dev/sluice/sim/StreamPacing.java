package dev.sluice.sim;

import java.util.List;

/**
 * When each SSE event of a stream is due, in milliseconds after the stream starts.
 *
 * <p>With a fixed event gap, event i is nominally due at {@code i × gap} ({@link StreamSession} measures
 * the gap from the previous write instead). Otherwise events before the first token
 * are due at once, the k-th token-carrying delta is due at {@code ttft + tokensBefore(k) × 1000 / tps}
 * (all at {@code ttft} when tps is 0), and events after a delta share its time. Computing absolute due
 * times, rather than sleeping between events, keeps timer jitter from accumulating.
 */
final class StreamPacing {

    private StreamPacing() {
    }

    static long[] dueMillis(List<SseEvent> events, SimDirectives directives) {
        long[] due = new long[events.size()];
        if (directives.eventGapMillis() >= 0) {
            for (int i = 0; i < due.length; i++) {
                due[i] = i * directives.eventGapMillis();
            }
            return due;
        }
        double tps = directives.tokensPerSecond();
        long tokensBefore = 0;
        long current = 0;
        for (int i = 0; i < due.length; i++) {
            SseEvent event = events.get(i);
            if (event.carriesTokens()) {
                current = directives.ttftMillis() + (tps > 0 ? Math.round(tokensBefore * 1000.0 / tps) : 0);
                tokensBefore += event.outputTokens();
            }
            due[i] = current;
        }
        return due;
    }
}
