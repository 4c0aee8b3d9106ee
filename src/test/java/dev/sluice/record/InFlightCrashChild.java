package dev.sluice.record;

import dev.sluice.store.Database;
import dev.sluice.store.StoreSettings;
import java.nio.file.Path;

/** Child process for {@link InFlightAttemptsTest}: begins five attempts, ends two, relays output into the other three, says so, then waits to be killed. */
public final class InFlightCrashChild {
    private InFlightCrashChild() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Database db = Database.open(StoreSettings.sqlite(dir));
        JournaledLedger ledger = JournaledLedger.open(db, LedgerSettings.defaults(dir));
        InFlightAttempts log = InFlightAttempts.open(dir, ledger, InFlightAttemptsTest.PRICE);
        InFlightAttempts.Progress[] slots = new InFlightAttempts.Progress[5];
        for (int i = 0; i < 5; i++) {
            slots[i] = log.begin(TestRecords.record("crash-" + i, 1));
        }
        for (int i = 0; i < 2; i++) {
            ledger.append(TestRecords.record("crash-" + i, 1));
            log.end("crash-" + i, 1);
        }
        for (int i = 2; i < 5; i++) {
            log.update(InFlightAttemptsTest.midStream("crash-" + i));
            for (int d = 0; d < 30; d++) {
                log.relayed(slots[i], 9);
            }
        }
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(60_000);
    }
}
