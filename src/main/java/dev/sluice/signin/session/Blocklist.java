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
 *
 * <p>A user deleted from the directory ends the same way ({@link #goneSince}): their sessions are
 * refused once a read that began after the session opened (sign-in creates the user first) no longer
 * finds them, and their next refresh, which re-reads the directory, gets {@code invalid_grant}.
 */
public final class Blocklist implements Predicate<String>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Blocklist.class);

    private final IdentityStore store;
    /** Clock difference between replicas tolerated when comparing a read's start with a session's creation. */
    static final long SKEW_MS = 5_000;

    private volatile Set<String> blocked = Set.of();
    private volatile Present present; // users of the last successful read, and when it began
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

    /**
     * True when the user was deleted: absent from a read that began after {@code sinceMs} (when their
     * session opened or the token was issued, both after the user existed), with the replica skew
     * allowed for. A user created by a sign-in after the last read is not taken for deleted.
     */
    public boolean goneSince(String userId, long sinceMs) {
        Present p = present;
        return p != null && p.readFromMs - SKEW_MS > sinceMs && !p.ids.contains(userId);
    }

    private record Present(Set<String> ids, long readFromMs) {
    }

    /** Reads the directory now; keeps the last set when the database cannot be read. */
    public void reload() {
        long readFrom = System.currentTimeMillis();
        try {
            Set<String> offOrgs = store.orgs().stream().filter(Org::disabled).map(Org::id).collect(Collectors.toSet());
            Set<String> offTeams = store.teams(null).stream().filter(t -> t.disabled() || offOrgs.contains(t.orgId()))
                    .map(Team::id).collect(Collectors.toSet());
            Set<String> next = new HashSet<>();
            Set<String> ids = new HashSet<>();
            for (User u : store.users(null)) {
                ids.add(u.id());
                if (u.disabled() || offTeams.contains(u.teamId())) {
                    next.add(u.id());
                }
            }
            blocked = Set.copyOf(next);
            present = new Present(Set.copyOf(ids), readFrom);
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
