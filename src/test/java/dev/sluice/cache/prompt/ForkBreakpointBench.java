package dev.sluice.cache.prompt;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.key.KeyRules;
import dev.sluice.cache.key.KeySecret;
import dev.sluice.cache.key.RequestKey;
import dev.sluice.cache.key.RequestKeyer;
import dev.sluice.pipeline.RequestBody;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link ForkBreakpoint#apply} costs a forwarded request: one hash pass over the prompt up to its last
 * conversation breakpoint (put at the end here, with automatic caching, as Claude Code's last-block breakpoint is),
 * plus a lookup and a note per prefix. Not a test: run by hand, numbers in docs/bench/cache.md.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp ... dev.sluice.cache.prompt.ForkBreakpointBench [iterations]</pre>
 */
public final class ForkBreakpointBench {
    private ForkBreakpointBench() {
    }

    public static void main(String[] args) {
        int timed = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        RequestKeyer keyer = new RequestKeyer(KeySecret.fixed("bench"));
        for (int size : new int[] {60_000, 700_000}) {
            String raw = new String(BigBodies.claudeCode(size, "alice-turn3", "/home/alice/src/calc"), UTF_8);
            byte[] body = ("{\"cache_control\":{\"type\":\"ephemeral\"}," + raw.substring(1)).getBytes(UTF_8);
            RequestKey key = keyer.key(body, body.length, KeyRules.defaults(), List.of());
            ForkBreakpoint forks = new ForkBreakpoint(100_000);
            RequestBody[] bodies = new RequestBody[timed];
            long[] nanos = new long[timed];
            for (int round = 0; round < 4; round++) { // three rounds of warm-up, the last one timed
                for (int i = 0; i < timed; i++) {
                    bodies[i] = RequestBody.of(body);
                }
                for (int i = 0; i < timed; i++) {
                    long start = System.nanoTime();
                    forks.apply(bodies[i], key, "org-" + (i % 7));
                    nanos[i] = System.nanoTime() - start;
                }
            }
            Arrays.sort(nanos);
            System.out.printf("%,d bytes, %d blocks: p50 %.1f µs, p99 %.1f µs%n", body.length, key.blockEnds().length,
                    nanos[timed / 2] / 1e3, nanos[timed * 99 / 100] / 1e3);
        }
    }
}
