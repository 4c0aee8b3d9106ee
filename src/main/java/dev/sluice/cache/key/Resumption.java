package dev.sluice.cache.key;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * One key writer's side of {@link KeyCheckpoints}: when the writer reaches the messages array it asks here how many
 * messages it may skip (and the state to continue from), then records its state after each message it writes, and
 * at the end stores what it recorded if that goes further than what it found. The checks that make a resumed key
 * exact are listed on {@link KeyCheckpoints}. Reused per thread, like the writer.
 */
final class Resumption {
    private static final int LOOKUP_BYTES = 16 << 10;

    private KeyCheckpoints store;
    private boolean active;
    private long lookup;
    private Hash128 start;
    private byte[] fingerprint;
    private EnumMap<Placeholder, byte[]> bindings;
    private int reused;
    private int resumedNext;
    private boolean resumedSubstituted;
    private Hash128 resumedState;
    private int count;
    private int[] ends = new int[64];
    private Hash128[] states = new Hash128[64];
    private boolean[] substituted = new boolean[64];

    /**
     * Called with the state right after the messages array {@code array} opened; returns how many of its elements the
     * writer may skip (0: write them all). When positive, continue from {@link #resumedState()} at entry
     * {@link #resumedNext()}.
     */
    int begin(KeyCheckpoints store, long partition, JsonTape tape, RequestShape shape, KeyRules rules, KeyHash key, int array) {
        this.active = false;
        this.count = 0;
        this.reused = 0;
        this.resumedState = null;
        int first = array + 1;
        if (store == null || !(key instanceof Hash128 h) || !store.worth(tape.end(0)) || first >= tape.next(array)) {
            return 0;
        }
        this.store = store;
        this.active = true;
        this.start = (Hash128) h.copy();
        this.fingerprint = rules.fingerprint();
        this.bindings = shape.markers().found().clone(); // the shape's map is cleared for the next body; its values never change
        this.lookup = lookup(h, tape, first) ^ partition; // a tenant never finds (nor times) another tenant's checkpoint
        KeyCheckpoints.Checkpoint c = store.get(lookup);
        if (c == null || !Arrays.equals(c.fingerprint(), fingerprint) || !sameBindings(c.bindings(), bindings)
                || !c.start().sameState(h)) {
            return 0;
        }
        int k = sharedMessages(c, tape, shape, array);
        if (k == 0) {
            return 0;
        }
        for (int i = 0; i < k; i++) { // the stored states are never updated, so sharing them is safe
            add(c.ends()[i], c.states()[i], c.substituted()[i]);
        }
        reused = k;
        store.noteResumed(k);
        resumedState = (Hash128) c.states()[k - 1].copy();
        resumedSubstituted = c.substituted()[k - 1];
        return k;
    }

    /**
     * How many leading messages this request shares with the checkpoint: byte for byte from the body's first byte to
     * the message's end, stored in the checkpoint at the same offset, and before every entry flagged newest.
     */
    private int sharedMessages(KeyCheckpoints.Checkpoint c, JsonTape tape, RequestShape shape, int array) {
        int n = Math.min(tape.end(0), c.prefix().length);
        int common = Arrays.mismatch(tape.source(), 0, n, c.prefix(), 0, n);
        if (common < 0) {
            common = n;
        }
        int k = 0;
        int end = tape.next(array);
        for (int e = array + 1, i = 0; e < end && i < c.count(); e = tape.next(e), i++) {
            if (tape.end(e) > common || tape.end(e) != c.ends()[i] || tape.next(e) > shape.firstNewest) {
                break;
            }
            k = i + 1;
            resumedNext = tape.next(e);
        }
        return k;
    }

    /** The state before the messages and the first message's bytes (at most 16 KB): one conversation's turns share it. */
    private static long lookup(Hash128 h, JsonTape tape, int first) {
        Hash128 l = (Hash128) h.copy();
        int s = tape.start(first);
        l.update(tape.source(), s, Math.min(tape.end(first) - s, LOOKUP_BYTES));
        byte[] out = new byte[16];
        l.finish(out, 0);
        return java.nio.ByteBuffer.wrap(out).getLong(); // a collision only costs a failed check, never a wrong key
    }

    private static boolean sameBindings(EnumMap<Placeholder, byte[]> a, EnumMap<Placeholder, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Placeholder, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    Hash128 resumedState() {
        return resumedState;
    }

    boolean resumedSubstituted() {
        return resumedSubstituted;
    }

    /** The entry after the last skipped message. */
    int resumedNext() {
        return resumedNext;
    }

    /** The writer's state after message {@code index} (which ends at {@code end}), taken only before the anchor forks. */
    void record(int index, int end, KeyHash key, boolean wasSubstituted) {
        if (active && index == count) {
            add(end, (Hash128) key.copy(), wasSubstituted);
        }
    }

    private void add(int end, Hash128 state, boolean wasSubstituted) {
        if (count == states.length) {
            ends = Arrays.copyOf(ends, count * 2);
            states = Arrays.copyOf(states, count * 2);
            substituted = Arrays.copyOf(substituted, count * 2);
        }
        ends[count] = end;
        states[count] = state;
        substituted[count] = wasSubstituted;
        count++;
    }

    /** Stores the recorded states when they reach past what was resumed; {@code src} is the body. */
    void finish(byte[] src) {
        if (active && count > reused) {
            int[] e = Arrays.copyOf(ends, count);
            store.put(new KeyCheckpoints.Checkpoint(lookup, fingerprint, bindings, start, Arrays.copyOf(src, e[count - 1]), e,
                    Arrays.copyOf(states, count), Arrays.copyOf(substituted, count)));
        }
        Arrays.fill(states, 0, count, null); // the thread does not pin a conversation's states
        if (states.length > 1 << 12) {
            ends = new int[64];
            states = new Hash128[64];
            substituted = new boolean[64];
        }
        count = 0;
        active = false;
        store = null;
        start = null;
        bindings = null;
        resumedState = null;
    }
}
