package dev.sluice.signin;

import dev.sluice.signin.oauth.DeviceGrants;
import dev.sluice.signin.session.SessionStore;
import dev.sluice.signin.session.SigningKeys;
import dev.sluice.signin.verify.LoginFlows;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of sign-in: every sync period it reads the signing keys (writing the
 * next one when due) and the sessions other replicas wrote; every minute it sweeps expired sessions,
 * device grants and browser sign-ins. {@link #wake()} asks for a catch-up now (a token of a session
 * this replica has not read yet was presented), at most one queued at a time. A database that cannot
 * be read leaves the last state in memory serving, with one warning per outage.
 */
final class Upkeep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Upkeep.class);
    private static final long SWEEP_EVERY_MS = 60_000;

    private final SigningKeys keys;
    private final SessionStore sessions;
    private final DeviceGrants grants;
    private final LoginFlows flows;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private ScheduledExecutorService timer;
    private boolean failing;
    /** Monotonic milliseconds of the last sweep (a wall clock stepped back would hold sweeps off by the step). */
    private long lastSweep = Long.MIN_VALUE / 2;

    Upkeep(SigningKeys keys, SessionStore sessions, DeviceGrants grants, LoginFlows flows) {
        this.keys = keys;
        this.sessions = sessions;
        this.grants = grants;
        this.flows = flows;
    }

    /** Reads keys and sessions now, failing if the database cannot be read (a gateway must not start without them). */
    void syncNow() {
        keys.sync();
        sessions.sync();
    }

    synchronized Upkeep start(Duration every) {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-signin-upkeep");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::tick, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    void wake() {
        ScheduledExecutorService t = timer;
        if (t != null && wakeQueued.compareAndSet(false, true)) {
            try {
                t.execute(() -> {
                    wakeQueued.set(false);
                    tick();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                wakeQueued.set(false); // closing
            }
        }
    }

    private void tick() {
        try {
            syncNow();
            long now = System.nanoTime() / 1_000_000;
            if (now - lastSweep >= SWEEP_EVERY_MS) {
                lastSweep = now;
                int swept = sessions.sweep() + grants.sweep() + flows.sweep();
                LOG.debug("swept {} expired sign-in rows", swept);
            }
            if (failing) {
                LOG.info("sign-in store readable again; sessions and keys are current");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot read sign-in state; serving what is in memory until it can: {}", e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
