package dev.sluice.record;

import java.nio.file.Path;

/**
 * Child process for {@link KillNineTest}: appends records to a ledger whose database never answers, printing
 * each acknowledged record number, until the parent kills it with SIGKILL. Not a test.
 */
public final class CrashChild {

    private CrashChild() {
    }

    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        JournaledLedger ledger = JournaledLedger.open(TestDataSource.unreachable(), false,
                LedgerSettings.defaults(dataDir).withQueueCapacity(64).withSegmentBytes(64 * 1024));
        for (int i = 0; ; i++) {
            ledger.append(TestRecords.record("kill-" + i, 0));
            System.out.println("ack " + i); // append has returned
            System.out.flush();
        }
    }
}
