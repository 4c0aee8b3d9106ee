package dev.sluice.record;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;

/** Child process for {@link InFlightAttemptsTest}: begins five attempts, ends two, says so, then waits to be killed. */
public final class InFlightCrashChild {
    private InFlightCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Database db = Database.open(StoreSettings.sqlite(dir));
        JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir));
        InFlightAttempts log = InFlightAttempts.open(dir, ledger, InFlightAttemptsTest.PRICE);
        for (int i = 0; i < 5; i++) {
            log.begin(TestRecords.record("crash-" + i, 1));
        }
        for (int i = 0; i < 2; i++) {
            ledger.append(TestRecords.record("crash-" + i, 1));
            log.end("crash-" + i, 1);
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
