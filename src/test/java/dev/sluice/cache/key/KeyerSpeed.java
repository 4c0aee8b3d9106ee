package dev.sluice.cache.key;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import java.util.Arrays;
import java.util.List;

class KeyerSpeed {
    public static void main(String[] a) {
        byte[] small = Captures.demoBody();
        byte[] big = BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc");
        RequestKeyer fast = new RequestKeyer(KeySecret.random());
        RequestKeyer sha = new RequestKeyer(KeySecret.random(), true);
        for (byte[] body : List.of(small, big)) {
            for (RequestKeyer k : List.of(fast, sha)) {
                long[] t = new long[2000];
                for (int r = 0; r < 3; r++) {
                    for (int i = 0; i < t.length; i++) {
                        long t0 = System.nanoTime();
                        k.key(body, body.length, KeyRules.defaults(), List.of());
                        t[i] = System.nanoTime() - t0;
                    }
                }
                Arrays.sort(t);
                System.out.printf("%d bytes %s: p50 %.1f us p99 %.1f us%n", body.length, k == fast ? "hash128" : "sha256",
                        t[t.length / 2] / 1e3, t[t.length * 99 / 100] / 1e3);
            }
        }
    }
}
