package dev.sluice.config;

import java.time.Duration;

/**
 * The OpenAI Responses door ({@code POST /v1/responses}).
 *
 * @param itemStore the answers' output items kept in memory so later requests can name them as {@code item_reference}s
 */
public record ResponsesConfig(ItemStore itemStore) {
    public ResponsesConfig {
        itemStore = itemStore == null ? ItemStore.defaults() : itemStore;
    }

    public static ResponsesConfig defaults() {
        return new ResponsesConfig(null);
    }

    /**
     * The bounds of the per-replica item store ({@code responses.item-store}); reloaded live, the store trimming to new
     * bounds at its next use. The largest values accepted keep a mistyped number from taking the heap.
     *
     * @param maxAge       longest an item is kept (default 1h, at most {@link #MAX_AGE})
     * @param maxItems     most items kept in all (default 50,000, at most {@link #MAX_ITEMS})
     * @param maxBytes     most heap the kept items take in all (default 32 MB, at most {@link #MAX_BYTES})
     * @param maxItemBytes largest item kept, as JSON characters (default 1 MB, at most max-bytes and 64 MB)
     */
    public record ItemStore(Duration maxAge, Integer maxItems, Size maxBytes, Size maxItemBytes) {
        public static final Duration MAX_AGE = Duration.ofDays(1);
        public static final int MAX_ITEMS = 10_000_000;
        public static final long MAX_BYTES = 16L << 30;
        public static final long MAX_ITEM_BYTES = 64L << 20;

        public ItemStore {
            maxAge = maxAge == null ? Duration.ofHours(1) : maxAge;
            maxItems = maxItems == null ? 50_000 : maxItems;
            maxBytes = maxBytes == null ? Size.ofMegabytes(32) : maxBytes;
            maxItemBytes = maxItemBytes == null ? Size.ofMegabytes(1) : maxItemBytes;
        }

        public static ItemStore defaults() {
            return new ItemStore(null, null, null, null);
        }
    }
}
