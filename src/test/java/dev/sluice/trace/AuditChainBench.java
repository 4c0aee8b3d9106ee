package dev.sluice.trace;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;

/**
 * The audit writer's per-line chain step, old against new: SHA-256 over (previous value, line) against HMAC-SHA256
 * under the audit key over the same bytes, on a 700-byte line (a request line without content). Runs on the writer's
 * own thread, never on an event loop. Run:
 * {@code ./mvnw -q -o test-compile && java -cp target/classes:target/test-classes dev.sluice.trace.AuditChainBench}
 */
public final class AuditChainBench {
    private AuditChainBench() {
    }

    public static void main(String[] args) throws Exception {
        byte[] line = ("{\"ts\":\"2026-11-30T11:00:00Z\",\"kind\":\"request\"," + "\"f\":\"x\",".repeat(90))
                .substring(0, 700).getBytes(StandardCharsets.UTF_8);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Mac mac = AuditKey.of("5a".repeat(32)).newMac();
        byte[] chain = AuditLines.GENESIS.getBytes(StandardCharsets.US_ASCII);
        int n = 200_000;
        for (int round = 1; round <= 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sha.update(chain);
                sha.update(line);
                chain = HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                mac.update(chain);
                mac.update(line);
                chain = HexFormat.of().formatHex(mac.doFinal()).getBytes(StandardCharsets.US_ASCII);
            }
            long t2 = System.nanoTime();
            System.out.printf("round %d: sha-256 %.0f ns/line, hmac-sha256 %.0f ns/line%n", round, (t1 - t0) / (double) n,
                    (t2 - t1) / (double) n);
        }
    }
}
