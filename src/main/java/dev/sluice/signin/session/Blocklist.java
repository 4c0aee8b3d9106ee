package dev.sluice.signin.session;

import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.Org;
import dev.sluice.identity.Team;
import dev.sluice.identity.User;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Developers who may no longer use their sessions: users disabled in the identity store, or whose
 * team or org is disabled (by the admin API or {@code sluice users}, from any process). Re-read on a
 * background thread every {@code every}, so the request path asks a set in memory; a developer
 * disabled here is refused on the first request after the next read, and their refresh fails.
 */
public final class Blocklist implements Predicate<String>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Blocklist.class);

    private final IdentityStore store;
    private volatile Set<String> blocked = Set.of();
    private ScheduledExecutorService timer;
    private boolean failing;

    public Blocklist(IdentityStore store) {
        this.store = store;
    }

    /** Reads once now, then every {@code every} on a daemon thread. */
    public synchronized Blocklist start(Duration every) {
        reload();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-signin-blocklist");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reload, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public boolean test(String userId) {
        return blocked.contains(userId);
    }

    /** Reads the directory now; keeps the last set when the database cannot be read. */
    public void reload() {
        try {
            Set<String> offOrgs = store.orgs().stream().filter(Org::disabled).map(Org::id).collect(Collectors.toSet());
            Set<String> offTeams = store.teams(null).stream().filter(t -> t.disabled() || offOrgs.contains(t.orgId()))
                    .map(Team::id).collect(Collectors.toSet());
            Set<String> next = new HashSet<>();
            for (User u : store.users(null)) {
                if (u.disabled() || offTeams.contains(u.teamId())) {
                    next.add(u.id());
                }
            }
            blocked = Set.copyOf(next);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("could not read disabled users; keeping the last list of {}: {}", blocked.size(), e.getMessage());
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
