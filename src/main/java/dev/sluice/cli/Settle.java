package dev.sluice.cli;

import java.util.function.Supplier;

/**
 * When the configuration watch believes a file is written: two reads a quiet period apart agree. A text that does not
 * end with a newline waits longer: a writer cut anywhere but at the end of a line leaves one, and such a half file may
 * parse ({@code guard:\n  enabled:} reads as the guard off). Files saved without a final newline still apply, later.
 */
final class Settle {
    static final long QUIET_MILLIS = 400;
    static final long QUIET_UNTERMINATED_MILLIS = 5_000;
    /** A file still changing after this is left alone until its next change. */
    static final long GIVE_UP_MILLIS = 60_000;

    /** Waits; the watch sleeps, tests move a clock. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private Settle() {
    }

    /**
     * The file's text once it settled, or null when it did not within {@link #GIVE_UP_MILLIS} ({@code read} gives
     * null for a file it cannot read, for example mid-swap).
     */
    static String read(Supplier<String> read, Sleeper sleeper) throws InterruptedException {
        String before = read.get();
        long unchangedFor = 0;
        for (long waited = 0; waited < GIVE_UP_MILLIS; waited += QUIET_MILLIS) {
            sleeper.sleep(QUIET_MILLIS);
            String now = read.get();
            if (now == null || !now.equals(before)) {
                before = now;
                unchangedFor = 0;
                continue;
            }
            unchangedFor += QUIET_MILLIS;
            if (unchangedFor >= quietNeeded(now)) {
                return now;
            }
        }
        return null;
    }

    private static long quietNeeded(String text) {
        return text.isEmpty() || text.endsWith("\n") ? QUIET_MILLIS : QUIET_UNTERMINATED_MILLIS;
    }
}
