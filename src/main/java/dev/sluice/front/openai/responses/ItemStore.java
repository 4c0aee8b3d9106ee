package dev.sluice.front.openai.responses;

import dev.sluice.config.Part;
import dev.sluice.config.ResponsesConfig;
import dev.sluice.pipeline.Bounded;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The output items of stored Responses answers ({@code store} true or absent, OpenAI's default), kept so a later
 * request can send them back as {@code item_reference}s by id: the Vercel AI SDK sends its earlier steps' text and
 * reasoning that way. In this process's memory only, never shared between replicas, and bounded three ways
 * ({@link Bounds}, from {@code responses.item-store}): an item lives {@code maxAge} at most, the store holds
 * {@code maxEntries} items and {@code maxBytes} of heap for them at most (their JSON as the JDK holds it, plus a fixed
 * cost an entry; the oldest go first), and an item over {@code maxItemBytes} characters or with an id over
 * {@link Bounded#ID} is not kept. The bounds follow the live configuration: the process's one store takes those of
 * the request that uses it ({@link #bounded}), so a reload that lowers them trims the store at its next use.
 *
 * <p>Each item belongs to the caller whose answer it was ({@link #owner}): a lookup names its owner, and another
 * caller's item is not found, exactly like an unknown one. Every item lives as long as any other, so insertion order
 * is expiry order: one map in insertion order, trimmed from its head, is both the age bound and the size bound. So
 * that one busy caller cannot push everyone else's items out early, a caller holding more than a quarter of either
 * bound gives up its own oldest item when the store is full, before anyone else's (each caller's items are in a map
 * of their own, in the same order). Shared by the event loops, so every call holds the store's lock; each is O(1)
 * apart from the trimming, which removes what it visits.
 */
final class ItemStore {
    /** An item's own cost besides its strings: its key and entry, and its node in each of the two maps. */
    static final int OVERHEAD = 160;

    /** The bounds of the live configuration's {@code responses.item-store}. */
    static final Part<Bounds> PART = Part.of("responses.item-store", c -> Bounds.of(c.responses().itemStore()));

    /** The process's store, with the default bounds until a request brings the configuration's. */
    static final ItemStore SHARED = new ItemStore(Bounds.DEFAULTS, System::nanoTime);

    /**
     * What the store may hold.
     *
     * @param maxItemBytes the largest item kept, as JSON characters (by default 1 MB: a whole 64K-token answer's text,
     *                     or the largest sealed reasoning item)
     */
    record Bounds(Duration maxAge, int maxEntries, long maxBytes, int maxItemBytes) {
        static final Bounds DEFAULTS = of(ResponsesConfig.ItemStore.defaults());

        Bounds {
            if (!maxAge.isPositive() || maxEntries < 1 || maxBytes < 1 || maxItemBytes < 1) {
                throw new IllegalArgumentException("item store bounds: " + maxAge + ", " + maxEntries + " entries, "
                        + maxBytes + " bytes, " + maxItemBytes + " bytes an item (expected: all positive)");
            }
        }

        /** The configuration's bounds, which {@code config} has checked (an item at most 64 MB fits an int). */
        static Bounds of(ResponsesConfig.ItemStore c) {
            return new Bounds(c.maxAge(), c.maxItems(), c.maxBytes().bytes(), Math.toIntExact(c.maxItemBytes().bytes()));
        }
    }

    private record Key(String owner, String id) {
    }

    /** @param json the item, or null for an id two different items came under */
    private record Entry(String json, long storedNanos, long bytes) {
    }

    /** Written under the lock; volatile so {@link #bounded} can see it unchanged without taking the lock. */
    private volatile Bounds bounds;
    private final LongSupplier nanos;
    private final LinkedHashMap<Key, Entry> items = new LinkedHashMap<>();
    /** Each caller's items, oldest first, and their bytes. */
    private final Map<String, Owned> owners = new HashMap<>();
    private long bytes;

    private static final class Owned {
        final LinkedHashMap<String, Entry> items = new LinkedHashMap<>();
        long bytes;
    }

    /** @param nanos the clock, {@link System#nanoTime} but in tests */
    ItemStore(Bounds bounds, LongSupplier nanos) {
        this.bounds = bounds;
        this.nanos = nanos;
    }

    /** This store under {@code next} from now on (trimmed to them at once when they differ); this store, for chaining. */
    ItemStore bounded(Bounds next) {
        if (next != bounds) {
            synchronized (this) {
                boolean changed = !next.equals(bounds);
                bounds = next;
                if (changed) {
                    trim();
                }
            }
        }
        return this;
    }

    /** The bounds in force. */
    Bounds bounds() {
        return bounds;
    }

    /** The store's owner for a caller: its gateway key's stable id (never the key itself). */
    static String owner(dev.sluice.pipeline.Identity identity) {
        return identity == null || identity.keyId() == null ? null : "key:" + identity.keyId();
    }

    /**
     * Keeps {@code json}, the item as the answer gave it, under {@code owner} and {@code id}. An item too large or with
     * too long an id is not kept (a reference to it is then unknown). The same id again with other content (two answers
     * whose upstream message ids collided: some OpenAI-compatible servers draw them from a few hundred numbers) keeps
     * neither: a reference to the id is refused rather than given the wrong item, until the id ages out.
     *
     * @return whether the item was kept
     */
    boolean put(String owner, String id, String json) {
        if (owner == null || id == null || id.isEmpty() || id.length() > Bounded.ID
                || json.length() > bounds.maxItemBytes()) {
            return false;
        }
        Key key = new Key(owner, id);
        long size = OVERHEAD + 2L * (owner.length() + id.length()) + heapBytes(json);
        synchronized (this) {
            trim(); // an expired item under this id is gone, not a rival
            Entry old = remove(key); // removed, not replaced: the new one goes to the tail, with its own age
            boolean ambiguous = old != null && !json.equals(old.json());
            Entry entry = ambiguous ? new Entry(null, nanos.getAsLong(), size - heapBytes(json)) : new Entry(json, nanos.getAsLong(), size);
            items.put(key, entry);
            Owned mine = owners.computeIfAbsent(owner, o -> new Owned());
            mine.items.put(id, entry);
            mine.bytes += entry.bytes();
            bytes += entry.bytes();
            // Full: a caller over its share makes room from its own oldest items; then the oldest of all go (trim).
            Bounds b = bounds;
            while ((bytes > b.maxBytes() || items.size() > b.maxEntries()) && mine.items.size() > 1
                    && (mine.bytes > b.maxBytes() / 4 || mine.items.size() > b.maxEntries() / 4)) {
                remove(new Key(owner, mine.items.keySet().iterator().next()));
            }
            trim();
            return !ambiguous;
        }
    }

    /** Keeps every item of an answer's {@code output} for {@code owner} ({@link OutputItem#storedJson}). */
    void keep(String owner, java.util.List<OutputItem> output) {
        for (OutputItem item : output) {
            put(owner, item.id, item.storedJson());
        }
    }

    /** The item {@code owner} stored as {@code id}, or null: unknown, expired, evicted, ambiguous, or another caller's. */
    String get(String owner, String id) {
        if (owner == null || id == null) {
            return null;
        }
        synchronized (this) {
            trim();
            Entry e = items.get(new Key(owner, id));
            return e == null ? null : e.json();
        }
    }

    /** Items held now (expired ones trimmed first). */
    synchronized int size() {
        trim();
        return items.size();
    }

    /** Bytes held now, as the bounds count them. */
    synchronized long bytes() {
        trim();
        return bytes;
    }

    /** What a string holds on the heap: a byte a character while all are Latin-1, else two (the JDK's compact strings). */
    static long heapBytes(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0xFF) {
                return 2L * s.length();
            }
        }
        return s.length();
    }

    /** Drops from the oldest: the expired, then whatever is over the entry or byte bound. */
    private void trim() {
        long now = nanos.getAsLong();
        Bounds b = bounds;
        long maxAgeNanos = b.maxAge().toNanos();
        while (!items.isEmpty()) {
            Map.Entry<Key, Entry> oldest = items.firstEntry();
            boolean expired = now - oldest.getValue().storedNanos() >= maxAgeNanos;
            if (!expired && items.size() <= b.maxEntries() && bytes <= b.maxBytes()) {
                return;
            }
            remove(oldest.getKey());
        }
    }

    /** Removes one item from both maps; the removed entry, or null. */
    private Entry remove(Key key) {
        Entry e = items.remove(key);
        if (e == null) {
            return null;
        }
        bytes -= e.bytes();
        Owned owned = owners.get(key.owner());
        owned.items.remove(key.id());
        owned.bytes -= e.bytes();
        if (owned.items.isEmpty()) {
            owners.remove(key.owner());
        }
        return e;
    }

    /** What one caller holds now, in bytes as the bounds count them (0 for none). */
    synchronized long ownerBytes(String owner) {
        trim();
        Owned owned = owners.get(owner);
        return owned == null ? 0 : owned.bytes;
    }
}
