package dev.sluice.cache.key;

import dev.sluice.cache.BigBodies;
import dev.sluice.cache.Captures;
import java.util.Arrays;
import java.util.List;

class PhaseSpeed {
    static final java.lang.management.ThreadMXBean CPU = java.lang.management.ManagementFactory.getThreadMXBean();
    public static void main(String[] a) {
        byte[] small = Captures.demoBody();
        byte[] big = BigBodies.claudeCode(700_000, "alice-turn3", "/home/alice/src/calc");
        KeySecret secret = KeySecret.random();
        for (byte[] body : List.of(small, big)) {
            JsonTape tape = new JsonTape();
            RequestShape shape = new RequestShape();
            KeyWriter writer = new KeyWriter();
            PathSites sites = new PathSites();
            byte[] k = new byte[16], an = new byte[16];
            long tp = 0, ts = 0, tw = 0, th = 0;
            int n = Integer.getInteger("n", 3000);
            for (int i = 0; i < n; i++) {
                long t0 = CPU.getCurrentThreadCpuTime();
                tape.parse(body, 0, body.length);
                long t1 = CPU.getCurrentThreadCpuTime();
                shape.read(tape, KeyRules.defaults());
                long t2 = CPU.getCurrentThreadCpuTime();
                sites.find(body, body.length, PathTemplates.of(Bindings.ofBytes(shape.markers().found())));
                writer.write(tape, shape, sites, KeyRules.defaults(), List.of(), secret.newHash(), k, an);
                long t3 = CPU.getCurrentThreadCpuTime();
                Hash128 h = secret.newHash();
                h.update(body, 0, body.length);
                h.finish(k, 0);
                long t4 = CPU.getCurrentThreadCpuTime();
                if (i >= n / 2) {
                    tp += t1 - t0; ts += t2 - t1; tw += t3 - t2; th += t4 - t3;
                }
            }
            int m = n / 2;
            System.out.printf("%d: tape %.1f shape %.1f write %.1f rawhash %.1f us (entries %d, paths %d)%n", body.length,
                    tp / 1e3 / m, ts / 1e3 / m, tw / 1e3 / m, th / 1e3 / m, tape.size(), sites.count());
        }
    }
}
