package dev.sluice.cache.stage;

import dev.sluice.cache.normalise.Outcome;
import dev.sluice.trace.Telemetry;
import java.util.List;

/** The response cache's meters for {@code /metrics}, read from its counters at each scrape. */
public final class CacheReadings {
    private CacheReadings() {
    }

    public static List<Telemetry.Reading> all(CacheService cache) {
        String lookups = "Response cache lookups by what they decided";
        String stores = "Answers the response cache was offered, by outcome";
        List<Telemetry.Reading> out = new java.util.ArrayList<>(List.of(
                new Telemetry.Reading("sluice.cache.lookups", lookups, true, () -> cache.counts().hits(), "result", "hit"),
                new Telemetry.Reading("sluice.cache.lookups", lookups, true, () -> cache.counts().misses(), "result", "miss"),
                new Telemetry.Reading("sluice.cache.lookups", lookups, true, () -> cache.counts().bypasses(), "result", "bypass"),
                new Telemetry.Reading("sluice.cache.stores", stores, true, () -> cache.counts().storedShared(), "outcome", "shared"),
                new Telemetry.Reading("sluice.cache.stores", stores, true,
                        () -> cache.counts().stored() - cache.counts().storedShared(), "outcome", "pinned"),
                new Telemetry.Reading("sluice.cache.stores", stores, true, () -> cache.counts().notStored(), "outcome", "refused"),
                new Telemetry.Reading("sluice.cache.pinned.misses",
                        "Entries found but pinned to another developer's values", true, () -> cache.counts().pinnedMisses()),
                new Telemetry.Reading("sluice.cache.store.errors", "Store reads and writes that failed or timed out (a read is then a bypass)",
                        true, () -> cache.counts().storeReadErrors(), "op", "read"),
                new Telemetry.Reading("sluice.cache.store.errors", "Store reads and writes that failed or timed out (a read is then a bypass)",
                        true, () -> cache.counts().storeWriteErrors(), "op", "write"),
                new Telemetry.Reading("sluice.cache.entries", "Entries held by this replica's store", false,
                        () -> cache.storeStats().entries()),
                new Telemetry.Reading("sluice.cache.bytes", "Bytes held by this replica's store", false,
                        () -> cache.storeStats().bytes()),
                new Telemetry.Reading("sluice.cache.budget.bytes", "The in-process store's byte budget (-1: Redis)", false,
                        () -> cache.storeStats().budgetBytes()),
                new Telemetry.Reading("sluice.cache.evictions", "Entries evicted to stay within the byte budget", true,
                        () -> cache.storeStats().evictions())));
        String normalised = "Requests forwarded on normalise-upstream routes: normalised, or why not";
        for (Outcome o : Outcome.values()) {
            out.add(new Telemetry.Reading("sluice.cache.upstream.normalised", normalised, true,
                    () -> cache.normalised().get(o), "outcome", o.label()));
        }
        out.add(new Telemetry.Reading("sluice.cache.prompt.fork.breakpoints",
                "Prompt-cache breakpoints added where a conversation forks from one forwarded before", true,
                () -> cache.forks().added()));
        return List.copyOf(out);
    }
}
