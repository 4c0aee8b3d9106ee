package dev.sluice.cache.key;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Hash states kept after each message of large keyed requests, so the next turn of the same conversation hashes only
 * its new messages ({@link Resumption} does the finding and the recording).
 *
 * <p>Why it pays: an agent's next request is its previous one plus a few messages, and the keyer hashes
 * {@code messages} last, after {@code model}, {@code tools}, {@code system} and the other fields. So the state of the
 * key hash after message {@code i} of one request is the state any later request reaches after its own message
 * {@code i}, when everything that went into it is the same. A 700 KB Claude Code request then costs its tokenizing,
 * its structure walk, its non-message fields, one comparison of its bytes and its newest messages, instead of a hash
 * over all of it.
 *
 * <p>Why it is exact, not probably right: a resumed key is the key computed from scratch, bit for bit, because each of
 * the things the state after message {@code i} depends on is checked, none is assumed:
 * <ol>
 *   <li>everything hashed before {@code messages} (rule fingerprint, context, model, tools, system, other fields):
 *       this request's own hash state at that point, computed afresh, must equal the stored one field for field
 *       ({@link Hash128#sameState}); equal states continue equally whatever bytes led to them;</li>
 *   <li>the canonical form of messages {@code 0..i}: the request's bytes from its first byte to the end of message
 *       {@code i} must equal the stored request's ({@link Arrays#mismatch}, no hash). The structure walk reads a body
 *       in byte order and its state at a byte (tool-id ordinals, the markers found so far) depends only on the bytes
 *       before it, so those messages get the same flags, ordinals and marker sites;</li>
 *   <li>what the walk learns from the whole body: the developer's values ({@link Bindings}, which decide the path
 *       templates) must be equal, and no message up to {@code i} may hold the newest user text (only states taken
 *       before the anchor forks are stored, and only such messages are resumed over);</li>
 *   <li>the rules: equal fingerprints. A different secret gives a different state, so check 1 covers it.</li>
 * </ol>
 * {@code RequestKeyerTest} checks resumed keys against keys from scratch over random conversations, prefixes and tails.
 *
 * <p>Memory: one checkpoint per conversation (its lookup is the hash state before {@code messages} plus the first
 * message's bytes, so the next turn replaces the previous one), least recently used first out, bounded by a byte
 * budget. It holds a copy of the request's bytes up to its last stored message, as the comparison needs them.
 * Requests under a size floor are keyed from scratch: they are fast already and a copy would cost more than it saves.
 */
final class KeyCheckpoints {
    /** Default budget: about 45 conversations of 700 KB. */
    static final long DEFAULT_BUDGET = 32L << 20;
    /** Default floor: a request under 64 KB keys in well under 0.1 ms from scratch. */
    static final int DEFAULT_MIN_BYTES = 64 << 10;

    /**
     * The states after each message of one keyed request.
     *
     * @param start       the state right after the messages array opened
     * @param prefix      the request's bytes up to the end of its last stored message
     * @param ends        {@code ends[i]}: the offset just past message {@code i}
     * @param states      {@code states[i]}: the state after message {@code i}; never updated (callers continue a copy)
     * @param substituted {@code substituted[i]}: whether a developer value was replaced up to message {@code i}
     */
    record Checkpoint(long lookup, byte[] fingerprint, EnumMap<Placeholder, byte[]> bindings, Hash128 start, byte[] prefix,
                      int[] ends, Hash128[] states, boolean[] substituted) {
        long weight() {
            return prefix.length + 96L * states.length + 256;
        }

        int count() {
            return states.length;
        }
    }

    private final long budget;
    private final int minBytes;
    private final LinkedHashMap<Long, Checkpoint> byLookup = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private final LongAdder resumed = new LongAdder();

    KeyCheckpoints(long budget, int minBytes) {
        if (budget < 0 || minBytes < 0) {
            throw new IllegalArgumentException("key checkpoints: budget " + budget + ", floor " + minBytes + " (expected: >= 0)");
        }
        this.budget = budget;
        this.minBytes = minBytes;
    }

    static KeyCheckpoints defaults() {
        return new KeyCheckpoints(DEFAULT_BUDGET, DEFAULT_MIN_BYTES);
    }

    /** Whether a body of this many bytes is worth resuming and recording. */
    boolean worth(int bodyBytes) {
        return bodyBytes >= minBytes && budget > 0;
    }

    synchronized Checkpoint get(long lookup) {
        return byLookup.get(lookup);
    }

    /** Stores (or replaces) the checkpoint under its lookup, then drops the least recently used past the budget. */
    synchronized void put(Checkpoint c) {
        Checkpoint old = byLookup.remove(c.lookup());
        if (old != null) {
            bytes -= old.weight();
        }
        if (c.weight() > budget / 4) {
            return; // one huge conversation would flush everyone else's
        }
        byLookup.put(c.lookup(), c);
        bytes += c.weight();
        Iterator<Map.Entry<Long, Checkpoint>> eldest = byLookup.entrySet().iterator();
        while (bytes > budget && eldest.hasNext()) {
            bytes -= eldest.next().getValue().weight();
            eldest.remove();
        }
    }

    /** Counts messages a writer skipped (for tests and benchmarks: that resuming happened at all). */
    void noteResumed(int messages) {
        resumed.add(messages);
    }

    long resumedMessages() {
        return resumed.sum();
    }

    synchronized int size() {
        return byLookup.size();
    }

    synchronized long bytes() {
        return bytes;
    }
}
