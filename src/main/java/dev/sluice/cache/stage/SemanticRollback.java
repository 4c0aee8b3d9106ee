package dev.sluice.cache.stage;

import dev.sluice.cache.stage.SemanticStats.Lookup;
import dev.sluice.config.CacheConfig;
import dev.sluice.config.ConfigException;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 8: a configuration version that changes the semantic cache (its mode or thresholds) is on trial for
 * {@code cache.semantic.rollback.window} after it is applied. If, during the trial, the wrong-answer signals (a
 * thumbs-down through {@code POST /sluice/v1/feedback}, a refresh right after a semantic answer, a shadow verdict that
 * the stored answer was wrong) exceed {@code max-wrong-share} of its semantic hits, or its hit rate falls below
 * {@code min-hit-ratio} of the rate before it, the previous version is applied again, as a new version recorded with
 * who and why like any change. A tuning change therefore costs at most a window of its mistakes, never more.
 *
 * <p>Counters are this replica's, and so are configuration versions ({@code <data-dir>/config-versions/}): each
 * replica judges a version on its own traffic and rolls back its own configuration. Replicas that share one
 * configuration file are brought back together by the operator (the rolled-back version is recorded with its
 * reason); a rollback on one replica is not applied to the others.
 *
 * <p>Only a version whose sole change is the semantic section is put on trial: the signals come from every tenant, and
 * the rollback re-applies a whole version, so a mixed change (a budget, a key, a guard rule) would let any caller
 * revert the operator's other edits.
 */
public final class SemanticRollback {
    static final String WHO = "sluice-semantic-rollback";
    private static final Logger LOG = LoggerFactory.getLogger(SemanticRollback.class);

    /** What the semantic counters said at one moment. */
    record Counts(long hits, long lookups, long wrong) {
        static Counts of(SemanticStats s) {
            long hits = s.lookups(Lookup.HIT) + s.lookups(Lookup.WOULD_BE_HIT);
            return new Counts(hits, hits + s.lookups(Lookup.MISS), s.feedbackDown() + s.refreshSignals() + s.shadowWrong());
        }

        Counts minus(Counts o) {
            return new Counts(hits - o.hits, lookups - o.lookups, wrong - o.wrong);
        }

        double hitRate() {
            return lookups == 0 ? 0 : (double) hits / lookups;
        }
    }

    /** A version on trial: when it started, what the counters read then, and the hit rate before it. */
    record Trial(int version, int previous, long startedMillis, Counts start, double hitRateBefore, long lookupsBefore) {
    }

    private final LiveConfig live;
    private final SemanticStats stats;
    private final LongSupplier clock;
    private Snapshot last;
    private Counts sinceLastChange;
    private long lastChangeMillis;
    private Trial trial;
    private boolean rollingBack;

    public SemanticRollback(LiveConfig live, SemanticStats stats, LongSupplier clock) {
        this.live = Objects.requireNonNull(live, "live");
        this.stats = Objects.requireNonNull(stats, "stats");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = live.current();
        this.sinceLastChange = Counts.of(stats);
        this.lastChangeMillis = clock.getAsLong();
    }

    /** Call with every newly applied snapshot: a change to the semantic section starts a trial. */
    public synchronized void applied(Snapshot next) {
        Snapshot before = last;
        last = next;
        CacheConfig.Semantic a = before.config().cache().semantic();
        CacheConfig.Semantic b = next.config().cache().semantic();
        boolean changed = !a.mode().equals(b.mode()) || !a.thresholds().equals(b.thresholds()) || !a.routes().equals(b.routes());
        Counts now = Counts.of(stats);
        Counts beforeWindow = now.minus(sinceLastChange);
        sinceLastChange = now;
        lastChangeMillis = clock.getAsLong();
        if (rollingBack || !changed || !b.rollback().enabled()) {
            trial = null; // our own rollback, or nothing the trial is about
            return;
        }
        if (!SemanticOnly.changed(before.config(), next.config())) {
            // A rollback re-applies the whole previous version, and any caller's signals can trigger it: putting a version
            // on trial that also changed budgets, keys or the guard would let one tenant's thumbs-down revert those too.
            trial = null;
            LOG.info("configuration version {} changes the semantic cache and other sections: it is not put on automatic "
                    + "trial (apply semantic changes in a version of their own to have them judged)", next.version());
            return;
        }
        trial = new Trial(next.version(), before.version(), lastChangeMillis, now, beforeWindow.hitRate(), beforeWindow.lookups());
    }

    /** Judges the version on trial; call every {@link #checkEveryMillis}. Returns the version rolled back to, or -1. */
    public synchronized int check() {
        Trial t = trial;
        if (t == null) {
            return -1;
        }
        CacheConfig.Semantic.Rollback policy = last.config().cache().semantic().rollback();
        if (last.version() != t.version()) {
            trial = null; // replaced by a newer version: that one is judged instead
            return -1;
        }
        // Signals that arrived within the window count even when the check runs a little after it ends.
        boolean over = clock.getAsLong() - t.startedMillis() > policy.window().toMillis();
        Counts seen = Counts.of(stats).minus(t.start());
        String why = null;
        if (seen.hits() >= policy.minHits() && seen.wrong() > policy.maxWrongShare() * seen.hits()) {
            why = String.format(Locale.ROOT, "%d wrong-answer signals on %d semantic hits (more than %.1f%%)",
                    seen.wrong(), seen.hits(), policy.maxWrongShare() * 100);
        } else if (seen.lookups() >= policy.minLookups() && t.lookupsBefore() >= policy.minLookups()
                && seen.hitRate() < policy.minHitRatio() * t.hitRateBefore()) {
            why = String.format(Locale.ROOT, "semantic hit rate fell from %.1f%% to %.1f%% over %d lookups",
                    t.hitRateBefore() * 100, seen.hitRate() * 100, seen.lookups());
        }
        if (why == null) {
            if (over) {
                trial = null; // it served its window: it stands
            }
            return -1;
        }
        trial = null;
        rollingBack = true; // the version the rollback applies is not itself on trial
        try {
            LiveConfig.Applied applied = live.rollback(t.previous(), WHO);
            LOG.warn("configuration version {} rolled back to version {} (now version {}): {}", t.version(), t.previous(),
                    applied.version(), why);
            return applied.version();
        } catch (ConfigException e) {
            LOG.warn("configuration version {} should be rolled back ({}), but could not be: {}", t.version(), why, e.getMessage());
            return -1;
        } finally {
            rollingBack = false;
        }
    }

    /** How often to judge: a tenth of the window, between 1 s and 10 s (a test's window of a few seconds still works). */
    public long checkEveryMillis() {
        long window = last.config().cache().semantic().rollback().window().toMillis();
        return Math.max(1000, Math.min(10_000, window / 10));
    }
}
