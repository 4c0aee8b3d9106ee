package dev.sluice.cache.prompt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sluice.settle.Meter;
import dev.sluice.wire.Usage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How often each cached prompt prefix is read again, and what its cache writes and reads would have
 * cost under a 5-minute and under a 1-hour TTL.
 *
 * <p>The provider's TTL slides: every read refreshes it. So for each sighting of a prefix, the gap
 * since the previous one decides: within the TTL it is a cache read (0.1× the input price), beyond it
 * a new write (1.25× for 5 minutes, 2× for an hour). Summing both policies over the sightings the
 * gateway saw tells, per prefix, whether a 1-hour TTL would have paid off: it does when enough
 * re-reads fall between 5 and 60 minutes apart. Bounded: the most recently seen
 * {@code maxPrefixes} prefixes are kept.
 */
public final class PrefixStats {
    private static final long FIVE_MINUTES = 5 * 60_000L;
    private static final long ONE_HOUR = 60 * 60_000L;

    /** One prefix's counts. Costs are in token-multiples of the input price ({@code units × tokens × input}). */
    public record Report(String prefix, String model, long tokens, long sightings, long within5m, long within1h,
                         long later, double units5m, double units1h, long nanoUsd5m, long nanoUsd1h) {
        public boolean oneHourPays() {
            return units1h < units5m;
        }

        public long nanoUsdSavedBy1h() {
            return Math.max(0, nanoUsd5m - nanoUsd1h);
        }
    }

    private static final class Counts {
        String model;
        long tokens;
        long last;
        long sightings;
        long within5m;
        long within1h;
        long later;
        double units5m;
        double units1h;
    }

    private final Cache<String, Counts> prefixes;

    public PrefixStats(long maxPrefixes) {
        this.prefixes = Caffeine.newBuilder().maximumSize(maxPrefixes).executor(Runnable::run).build();
    }

    /** A request that carried {@code prefix} (of about {@code tokens} tokens) at {@code nowMillis}. */
    public void observe(String prefix, String model, long tokens, long nowMillis) {
        Counts c = prefixes.get(prefix, k -> new Counts());
        synchronized (c) {
            c.model = model;
            c.tokens = Math.max(c.tokens, tokens);
            if (c.sightings == 0) {
                c.units5m += 1.25;
                c.units1h += 2.0;
            } else {
                long gap = Math.max(0, nowMillis - c.last);
                if (gap <= FIVE_MINUTES) {
                    c.within5m++;
                    c.units5m += 0.1;
                    c.units1h += 0.1;
                } else if (gap <= ONE_HOUR) {
                    c.within1h++;
                    c.units5m += 1.25;
                    c.units1h += 0.1;
                } else {
                    c.later++;
                    c.units5m += 1.25;
                    c.units1h += 2.0;
                }
            }
            c.sightings++;
            c.last = Math.max(c.last, nowMillis);
        }
    }

    /** Whether a request carrying {@code prefix} has been seen (and is still tracked). */
    public boolean seen(String prefix) {
        return prefixes.getIfPresent(prefix) != null;
    }

    /** Whether a 1-hour TTL has paid off for this prefix so far (used by {@link TtlUpgrade}). */
    public boolean oneHourPays(String prefix) {
        Counts c = prefixes.getIfPresent(prefix);
        if (c == null) {
            return false;
        }
        synchronized (c) {
            return c.within1h > 0 && c.units1h < c.units5m;
        }
    }

    /** The {@code top} prefixes by what a 1-hour TTL would save, priced with {@code meter}. */
    public List<Report> report(Meter meter, int top) {
        List<Report> out = new ArrayList<>();
        prefixes.asMap().forEach((prefix, c) -> {
            synchronized (c) {
                out.add(new Report(prefix, c.model, c.tokens, c.sightings, c.within5m, c.within1h, c.later, c.units5m, c.units1h,
                        price(meter, c.model, c.tokens, c.units5m), price(meter, c.model, c.tokens, c.units1h)));
            }
        });
        out.sort(Comparator.comparingLong(Report::nanoUsdSavedBy1h).reversed().thenComparing(Report::sightings, Comparator.reverseOrder()));
        return out.size() > top ? List.copyOf(out.subList(0, top)) : out;
    }

    /** {@code units} times the input price of {@code tokens} (at that prompt size's tier). */
    private static long price(Meter meter, String model, long tokens, double units) {
        return Math.round(units * meter.cost(model == null ? "" : model, Usage.of(tokens, 0)).nanoUsd());
    }
}
