package dev.sluice.cache.report;

import dev.sluice.cache.CacheCounters;
import dev.sluice.cache.prompt.PrefixStats;
import dev.sluice.cache.stage.CacheService;
import dev.sluice.cache.store.CacheStore;
import dev.sluice.settle.Meter;
import dev.sluice.store.Database;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * What the admin API does with the cache: its state, busting, reports from the ledger and the prompt-prefix
 * advice. Blocking: call it from a worker thread.
 */
public final class CacheAdmin {
    private static final Pattern ORG = Pattern.compile("-|[A-Za-z0-9._:@+-]{1,128}");
    private static final Pattern SCOPE = Pattern.compile("org|(?:team|user|key):[A-Za-z0-9._:@+-]{1,128}");
    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9._:/@+-]{0,128}");
    private static final int MAX_TOP = 1000;

    private final CacheService service;
    private final CacheReports reports;
    private final Supplier<Meter> meter;
    private final Database database;

    public CacheAdmin(CacheService service, Database database, Supplier<Meter> meter) {
        this.service = Objects.requireNonNull(service, "service");
        this.reports = new CacheReports(Objects.requireNonNull(database, "database"));
        this.meter = Objects.requireNonNull(meter, "meter");
        this.database = database;
    }

    /** The cache's long-lived side (for the capture-based endpoints of {@code cache.learn}). */
    public CacheService service() {
        return service;
    }

    public Database database() {
        return database;
    }

    /** Today's price table. */
    public Meter meter() {
        return meter.get();
    }

    /** The cache's counters and store occupancy on this replica. */
    public record Status(boolean ready, String store, CacheCounters.Counts counts, CacheStore.StoreStats stats, int storing) {
    }

    public Status status() {
        return new Status(service.cache() != null, service.storeKind(), service.counts(), service.storeStats(), service.storing());
    }

    /**
     * Busts a scope's entries, or one namespace's ({@code namespace} null: the whole scope). Entries being
     * stored when it lands are stored under the old generation and never served.
     *
     * @param org   the organization id ({@code -} for callers without one)
     * @param scope {@code org}, {@code team:<id>}, {@code user:<id>} or {@code key:<id>}
     * @return the scope's or namespace's new generation
     * @throws IllegalArgumentException for a malformed argument (the admin API answers 400)
     */
    public long bust(String org, String scope, String namespace) {
        check("org", org, ORG, "an organization id (letters, digits and . _ : @ + -, up to 128) or - for callers without one");
        check("scope", scope, SCOPE, "org, team:<id>, user:<id> or key:<id>");
        if (namespace != null) {
            check("namespace", namespace, NAMESPACE, "up to 128 of letters, digits and . _ : / @ + -");
        }
        try {
            return service.bust(org, scope, namespace).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cache bust failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cache bust: the store did not answer within 10 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cache bust interrupted", e);
        }
    }

    public List<CacheReportRow> report(CacheQuery q) {
        return reports.report(q);
    }

    /** The prefixes a 1-hour TTL would help most, at today's prices (empty when statistics are off). */
    public List<PrefixStats.Report> prefixes(int top) {
        PrefixStats stats = service.prefixStats();
        return stats == null ? List.of() : stats.report(meter.get(), bound(top));
    }

    /** Misses grouped by the prompt prefix they shared with earlier traffic, most missed tokens first. */
    /** The semantic cache behind the exact one, or null when this gateway has none. */
    public dev.sluice.cache.stage.SemanticService semantic() {
        return service.semantic();
    }

    public List<CacheService.NearMiss> nearMisses(int top) {
        return service.nearMisses(bound(top));
    }

    private static int bound(int top) {
        if (top < 1 || top > MAX_TOP) {
            throw new IllegalArgumentException("top: " + top + " (expected: 1 to " + MAX_TOP + ")");
        }
        return top;
    }

    private static void check(String field, String value, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            String shown = value == null ? "null" : value.length() > 64 ? value.substring(0, 64) + "..." : value;
            throw new IllegalArgumentException(field + ": '" + shown + "' (expected: " + expected + ")");
        }
    }
}
