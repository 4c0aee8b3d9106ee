package dev.sluice.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testing.Http;
import dev.sluice.testing.SluiceHarness;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * What a failover costs the gateway itself (target: at most 5 ms beyond the failed attempt's own time).
 * A real gateway and simulator on loopback; the primary answers 529 to every request that asks it to
 * (for the primary's key only), the secondary is healthy. Each failover request makes two attempts;
 * each plain request one, on the primary. The gateway's own time per request is its
 * {@code x-sluice-latency-ms} header: time to the response head less the time upstreams took to
 * answer, so a failover's figure holds everything the gateway did for both attempts. The difference
 * between the two medians (and p99s) is what failing over adds. Client wall-clock times are printed too.
 * Run alone: {@code ./mvnw -q -o test -Dtest=FailoverBench}; the numbers go to docs/bench/route.md.
 */
class FailoverBench {
    static final String PRIMARY_KEY = "sk-ant-bench-primary";

    @Test
    void failingOverAddsLittleBeyondTheFailedAttempt() {
        try (SluiceHarness h = SluiceHarness.start("""
                server: {port: 0, event-loops: 1}
                auth: {keys: ["${GATEWAY_KEY}"]}
                upstreams:
                  - {name: primary, base-url: "${SIM_URL}", keys: [{alias: p1, value: %s}]}
                  - {name: secondary, base-url: "${SIM_URL}", keys: [{alias: s1, value: "${UPSTREAM_KEY}"}]}
                routing:
                  health: {consecutive-failures: 100000000, min-requests: 100000000}
                  sticky: {enabled: false}
                routes:
                  - targets: [{upstream: primary}, {upstream: secondary}]
                """.formatted(PRIMARY_KEY))) {
            int warm = 500;
            int n = 2_000;
            double[] plainGw = new double[n];
            double[] failGw = new double[n];
            long[] plainWall = new long[n];
            long[] failWall = new long[n];
            for (int i = 0; i < warm + n; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> plain = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("plain", false));
                long t1 = System.nanoTime();
                HttpResponse<String> fail = Http.post(h.gatewayUrl(), "/v1/messages", Http.userMessage("fail over", false),
                        "x-sim-fault", "529", "x-sim-fault-key", PRIMARY_KEY);
                long t2 = System.nanoTime();
                assertThat(plain.headers().firstValue("x-sluice-attempts")).contains("1");
                assertThat(fail.headers().firstValue("x-sluice-attempts")).contains("2");
                if (i >= warm) {
                    plainGw[i - warm] = Double.parseDouble(plain.headers().firstValue("x-sluice-latency-ms").orElseThrow());
                    failGw[i - warm] = Double.parseDouble(fail.headers().firstValue("x-sluice-latency-ms").orElseThrow());
                    plainWall[i - warm] = t1 - t0;
                    failWall[i - warm] = t2 - t1;
                }
                if (i % 200 == 0) {
                    h.recorder().clear(); // the recorder is bounded anyway; keep it small
                }
            }
            Arrays.sort(plainGw);
            Arrays.sort(failGw);
            Arrays.sort(plainWall);
            Arrays.sort(failWall);
            int p50 = n / 2;
            int p99 = (int) (n * 0.99);
            System.out.printf("gateway time, one attempt:  p50 %.3f ms, p99 %.3f ms%n", plainGw[p50], plainGw[p99]);
            System.out.printf("gateway time, failover:     p50 %.3f ms, p99 %.3f ms%n", failGw[p50], failGw[p99]);
            System.out.printf("failover adds:              p50 %.3f ms, p99 %.3f ms%n", failGw[p50] - plainGw[p50], failGw[p99] - plainGw[p99]);
            System.out.printf("client wall clock: one attempt p50 %.3f ms p99 %.3f ms; failover p50 %.3f ms p99 %.3f ms%n",
                    plainWall[p50] / 1e6, plainWall[p99] / 1e6, failWall[p50] / 1e6, failWall[p99] / 1e6);
            assertThat(failGw[p50] - plainGw[p50]).as("median added by a failover, ms (loose: a shared machine)").isLessThan(25);
        }
    }
}
