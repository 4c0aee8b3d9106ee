package dev.sluice.cache.semantic.embed;

import java.util.Map;

/**
 * WordPiece's vocabulary, looked up by a range of a text's characters rather than by a string: the greedy longest
 * match tries several ends per piece of every word, and a {@code HashMap<String, Integer>} needs a new substring (and
 * a {@code "##"} concatenation for a continuation) for each try, most of a semantic miss's garbage (h-sem15). Open
 * addressing over the pieces' {@link String#hashCode()}, so a range hashes to the same slot as the string it spells;
 * a hit compares the characters, so the table answers exactly what the map answered.
 */
final class PieceTable {
    /** {@code "##".hashCode()}: a continuation's hash starts from its prefix, as the concatenated string's did. */
    private static final int CONTINUATION_SEED = '#' * 31 + '#';

    private final String[] keys;
    /** The keys' hashes, slot by slot: a probe compares these before it touches a key (a cache miss each). */
    private final int[] hashes;
    private final int[] ids;
    private final int mask;
    private final int longest;

    PieceTable(Map<String, Integer> vocab) {
        int capacity = Integer.highestOneBit(Math.max(16, vocab.size() * 4) - 1) << 1; // at most a quarter full
        keys = new String[capacity];
        hashes = new int[capacity];
        ids = new int[capacity];
        mask = capacity - 1;
        int max = 0;
        for (Map.Entry<String, Integer> e : vocab.entrySet()) {
            String key = e.getKey();
            int slot = spread(key.hashCode()) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = key;
            hashes[slot] = key.hashCode();
            ids[slot] = e.getValue();
            max = Math.max(max, key.length());
        }
        longest = max;
    }

    /** The length of the longest piece (continuation prefix included): no longer range can be one. */
    int longest() {
        return longest;
    }

    /** The id of the piece spelled by {@code s[from, to)} (prefixed with {@code ##} when {@code continuation}), or -1. */
    int find(char[] s, int from, int to, boolean continuation) {
        int h = continuation ? CONTINUATION_SEED : 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s[i];
        }
        int prefix = continuation ? 2 : 0;
        int length = prefix + to - from;
        for (int slot = spread(h) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == h) {
                String key = keys[slot];
                if (key.length() == length && spells(key, prefix, s, from, to)) {
                    return ids[slot];
                }
            }
        }
        return -1;
    }

    private static boolean spells(String key, int prefix, char[] s, int from, int to) {
        if (prefix == 2 && (key.charAt(0) != '#' || key.charAt(1) != '#')) {
            return false;
        }
        for (int i = from, k = prefix; i < to; i++, k++) {
            if (key.charAt(k) != s[i]) {
                return false;
            }
        }
        return true;
    }

    /** As {@link java.util.HashMap}: the high bits folded in, so the pieces' hashes spread over a power-of-two table. */
    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
