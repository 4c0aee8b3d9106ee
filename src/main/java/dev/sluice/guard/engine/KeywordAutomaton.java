package dev.sluice.guard.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An Aho-Corasick automaton over bytes, compiled to a dense DFA: one table load per input byte,
 * whatever the number of keywords, so the prefilter is linear in the input and never backtracks.
 *
 * <p>How it is laid out, for speed:
 * <ol>
 *   <li>Bytes are folded to equivalence classes first: ASCII letters fold to lower case (matching is
 *       case-insensitive; a keyword that must match case is re-checked by its detector), and every byte
 *       that occurs in no keyword shares class 0. A few dozen classes stay, so a state's row is short.</li>
 *   <li>The goto/failure construction is done once here and flattened into one table in which a state is
 *       the offset of its row ({@code state * width()}), and each entry is already the next state's row
 *       offset: a step is {@code row = table[row + class]}, one addition and one load, which is the whole
 *       dependency chain from one byte to the next.</li>
 *   <li>States are renumbered so that every state that ends a keyword comes after every state that does
 *       not: the hot loop asks one question per byte ({@code row >= firstMatch()}). Among the others, the start
 *       state comes first, and the states that match fewer than four bytes come before the deeper ones:
 *       {@link KeywordStarts} runs the automaton only from where a keyword may start, and stops a run in a state at
 *       most three bytes deep ({@code row < firstDeep()}).</li>
 * </ol>
 * Immutable and thread-safe once built.
 */
public final class KeywordAutomaton {
    private final byte[] classOf;
    private final int width;
    private final int[] next;
    private final int firstMatch;
    private final int firstDeep;
    private final int[][] outputs;
    private final int keywordCount;
    private final int longest;
    private final int shortest;
    private final List<byte[]> starts;
    private final List<byte[]> keywords;

    private KeywordAutomaton(byte[] classOf, int width, int[] next, int[] bands, int[][] outputs, List<byte[]> keywords) {
        this.firstDeep = bands[0];
        this.firstMatch = bands[1];
        this.longest = keywords.stream().mapToInt(w -> w.length).max().orElse(0);
        this.shortest = keywords.stream().mapToInt(w -> w.length).min().orElse(0);
        this.starts = startsOf(keywords);
        this.keywords = List.copyOf(keywords);
        this.classOf = classOf;
        this.width = width;
        this.next = next;
        this.outputs = outputs;
        this.keywordCount = keywords.size();
    }

    /** The distinct first four bytes of the keywords (three of a three-byte one), letters folded to lower case; none when a keyword is shorter. */
    private static List<byte[]> startsOf(List<byte[]> keywords) {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> out = new ArrayList<>();
        for (byte[] w : keywords) {
            if (w.length < 3) {
                return List.of();
            }
            byte[] start = new byte[Math.min(4, w.length)];
            for (int i = 0; i < start.length; i++) {
                start[i] = (byte) fold(w[i] & 0xff);
            }
            if (seen.add(Arrays.toString(start))) {
                out.add(start);
            }
        }
        return List.copyOf(out);
    }

    /** Builds the automaton; keyword {@code i} is reported as id {@code i}. Keywords must be non-empty. */
    public static KeywordAutomaton build(List<byte[]> keywords) {
        Objects.requireNonNull(keywords, "keywords");
        byte[] classOf = new byte[256];
        int classes = assignClasses(keywords, classOf);
        Trie trie = new Trie(classes);
        for (int k = 0; k < keywords.size(); k++) {
            byte[] word = keywords.get(k);
            if (word.length == 0) {
                throw new IllegalArgumentException("keyword " + k + " is empty (expected: at least one byte)");
            }
            trie.add(word, classOf, k);
        }
        trie.link();
        return trie.compile(classOf, keywords);
    }

    private static int assignClasses(List<byte[]> keywords, byte[] classOf) {
        int classes = 1;
        for (byte[] word : keywords) {
            for (byte raw : word) {
                int b = fold(raw & 0xff);
                if (classOf[b] == 0) {
                    if (classes == 127) {
                        throw new IllegalArgumentException("keywords use more than 126 distinct bytes");
                    }
                    classOf[b] = (byte) classes++;
                }
            }
        }
        for (int c = 'A'; c <= 'Z'; c++) {
            classOf[c] = classOf[c + 32];
        }
        return classes;
    }

    static int fold(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** The class of each byte value, for inlined loops: {@code classes()[b & 0xff]}. */
    public byte[] classes() {
        return classOf;
    }

    /** Entries per row: a state's row starts at {@code state * width()}. */
    public int width() {
        return width;
    }

    /** The transition table: {@code table()[row + class]} is the row of the next state. The start state's row is 0. */
    public int[] table() {
        return next;
    }

    /** Rows at or above this belong to states that end at least one keyword. */
    public int firstMatch() {
        return firstMatch;
    }

    /** Rows at or above this belong to states that match four bytes or more, or end a keyword. */
    public int firstDeep() {
        return firstDeep;
    }

    /** Length in bytes of the shortest keyword. */
    public int shortestKeyword() {
        return shortest;
    }

    /**
     * The distinct first four bytes of the keywords (all three of a three-byte keyword), ASCII letters in lower case:
     * what the text holds where a keyword starts. Empty when a keyword is shorter than three bytes.
     */
    public List<byte[]> starts() {
        return starts;
    }

    public int step(int row, int b) {
        return next[row + classOf[b & 0xff]];
    }

    /** The keywords as built, keyword {@code i} at index {@code i} (the arrays are shared: do not change them). */
    List<byte[]> keywords() {
        return keywords;
    }

    /** The ids of the keywords that end in the state of {@code row}, longest first. */
    public int[] matches(int row) {
        return row >= firstMatch ? outputs[(row - firstMatch) / width] : EMPTY;
    }

    /** Length in bytes of the longest keyword. */
    public int longestKeyword() {
        return longest;
    }

    public int keywordCount() {
        return keywordCount;
    }

    public int stateCount() {
        return next.length / width;
    }

    private static final int[] EMPTY = new int[0];

    /** The goto trie before it is flattened. */
    private static final class Trie {
        private final int width;
        private final List<int[]> go = new ArrayList<>();
        private final List<int[]> own = new ArrayList<>();
        private final List<Integer> depth = new ArrayList<>();
        private int[] fail;
        private int[][] out;

        Trie(int width) {
            this.width = width;
            newState(0);
        }

        private int newState(int d) {
            int[] row = new int[width];
            Arrays.fill(row, -1);
            go.add(row);
            own.add(EMPTY);
            depth.add(d);
            return go.size() - 1;
        }

        void add(byte[] word, byte[] classOf, int id) {
            int s = 0;
            for (byte raw : word) {
                int c = classOf[fold(raw & 0xff)];
                if (go.get(s)[c] < 0) {
                    int t = newState(depth.get(s) + 1);
                    go.get(s)[c] = t;
                }
                s = go.get(s)[c];
            }
            int[] ids = Arrays.copyOf(own.get(s), own.get(s).length + 1);
            ids[ids.length - 1] = id;
            own.set(s, ids);
        }

        /** Breadth-first: failure links, inherited outputs and the full transition function. */
        void link() {
            int n = go.size();
            fail = new int[n];
            out = new int[n][];
            out[0] = EMPTY;
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            for (int c = 0; c < width; c++) {
                int t = go.get(0)[c];
                if (t < 0) {
                    go.get(0)[c] = 0;
                } else {
                    fail[t] = 0;
                    queue.add(t);
                }
            }
            while (!queue.isEmpty()) {
                int s = queue.poll();
                out[s] = concat(own.get(s), out[fail[s]]);
                for (int c = 0; c < width; c++) {
                    int t = go.get(s)[c];
                    if (t < 0) {
                        go.get(s)[c] = go.get(fail[s])[c];
                    } else {
                        fail[t] = go.get(fail[s])[c];
                        queue.add(t);
                    }
                }
            }
        }

        private static int[] concat(int[] a, int[] b) {
            if (b.length == 0) {
                return a;
            }
            int[] r = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        KeywordAutomaton compile(byte[] classOf, List<byte[]> keywords) {
            int n = go.size();
            int[] order = new int[n];
            int[] rank = new int[n];
            // Bands in row order: the start state, then up to three bytes deep, deeper, and every state that ends a keyword.
            int[] bands = new int[2];
            int at = 0;
            for (int band = 0; band < 4; band++) {
                if (band >= 2) {
                    bands[band - 2] = at;
                }
                for (int s = 0; s < n; s++) {
                    boolean match = out[s].length > 0;
                    int d = depth.get(s);
                    boolean in = switch (band) {
                        case 0 -> s == 0;
                        case 1 -> s != 0 && !match && d < 4;
                        case 2 -> !match && d >= 4;
                        default -> match;
                    };
                    if (in) {
                        order[at++] = s;
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                rank[order[i]] = i;
            }
            int firstMatch = bands[1];
            int[] next = new int[n * width];
            int[][] outputs = new int[n - firstMatch][];
            for (int i = 0; i < n; i++) {
                int[] row = go.get(order[i]);
                for (int c = 0; c < width; c++) {
                    next[i * width + c] = rank[row[c]] * width;
                }
                if (i >= firstMatch) {
                    outputs[i - firstMatch] = out[order[i]];
                }
            }
            int[] rows = {bands[0] * width, bands[1] * width};
            return new KeywordAutomaton(classOf, width, next, rows, outputs, keywords);
        }
    }
}
