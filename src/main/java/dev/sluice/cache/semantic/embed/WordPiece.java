package dev.sluice.cache.semantic.embed;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.text.Normalizer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * BERT's uncased WordPiece tokenizer, written here so the static embedder needs no native code:
 * lower-case, strip accents, split on whitespace and punctuation, then cut each word into the
 * longest vocabulary pieces from the left ({@code ##} marks a continuation). Matches the
 * tokenizer.json shipped beside the MiniLM model for ordinary text; it is used only to look up
 * token vectors, so a rare difference on exotic scripts costs a little quality, never safety.
 *
 * <p>Every semantic lookup tokenises its newest turn, so this allocates nothing per word (h-sem15): the vocabulary is
 * looked up by a range of the text's characters ({@link PieceTable}) instead of a substring per candidate piece (and a
 * {@code "##"} concatenation per continuation), in a buffer the thread reuses, into which an ASCII text is lower-cased
 * as it is copied. A text with other characters is still normalised into a new string first, exactly as before.</p>
 */
public final class WordPiece {
    public static final int PAD = 0;
    public static final int UNK = 100;
    public static final int CLS = 101;
    public static final int SEP = 102;
    /** Words longer than this become [UNK], as in BERT (keeps the greedy match linear). */
    private static final int MAX_WORD_CHARS = 100;

    private final PieceTable vocab;
    private final String[] pieces;

    private WordPiece(Map<String, Integer> vocab) {
        this.vocab = new PieceTable(vocab);
        this.pieces = new String[vocab.values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1];
        vocab.forEach((piece, id) -> pieces[id] = piece);
    }

    /** Reads the {@code model.vocab} object of a Hugging Face tokenizer.json. */
    public static WordPiece fromTokenizerJson(InputStream in) {
        Objects.requireNonNull(in, "in");
        try (JsonParser p = Json.FACTORY.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("tokenizer.json: expected an object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("model")) {
                    Map<String, Integer> vocab = readModel(p);
                    if (vocab != null) {
                        return new WordPiece(vocab);
                    }
                } else {
                    p.skipChildren();
                }
            }
            throw new IllegalArgumentException("tokenizer.json: no model.vocab found");
        } catch (IOException e) {
            throw new UncheckedIOException("tokenizer.json: " + e.getMessage(), e);
        }
    }

    private static Map<String, Integer> readModel(JsonParser p) throws IOException {
        Map<String, Integer> vocab = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("vocab") && p.currentToken() == JsonToken.START_OBJECT) {
                vocab = new HashMap<>(40_000);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String piece = p.currentName();
                    p.nextToken();
                    vocab.put(piece, p.getIntValue());
                }
            } else {
                p.skipChildren();
            }
        }
        return vocab;
    }

    public int vocabSize() {
        return pieces.length;
    }

    public String piece(int id) {
        return pieces[id];
    }

    /**
     * Token ids of {@code text} without [CLS]/[SEP], at most {@code maxTokens}; returns the
     * number written into {@code out}, or -1 when the text has more tokens than {@code maxTokens}
     * (callers treat an over-long text as not comparable rather than silently truncating it).
     */
    public int encode(String text, int[] out, int maxTokens) {
        return encode(text, out, maxTokens, null);
    }

    /** The vocabulary id of {@code piece}, or -1. */
    public int id(String piece) {
        return vocab.find(piece.toCharArray(), 0, piece.length(), false);
    }

    /**
     * As {@link #encode(String, int[], int)}, also setting bit {@code i} of {@code lineEnds} (when not
     * null) when a line break follows token {@code i}: WordPiece drops whitespace, the windowing needs it.
     */
    public int encode(String text, int[] out, int maxTokens, BitSet lineEnds) {
        // The text's characters, lower-cased, in this thread's buffer: an ASCII text's lower case differs from it
        // only in A-Z, so it is lowered as it is copied; any other text goes through normalize() as before (its lower
        // case can even be ASCII: the Kelvin sign becomes a k).
        int kind = asciiKind(text);
        String normal = kind == OTHER ? normalize(text) : text;
        int n = normal.length();
        char[] s = chars(n);
        normal.getChars(0, n, s, 0);
        if (kind == ASCII_WITH_CAPITALS) {
            for (int k = 0; k < n; k++) {
                char c = s[k];
                if (c >= 'A' && c <= 'Z') {
                    s[k] = (char) (c + ('a' - 'A'));
                }
            }
        }
        int count = 0;
        int i = 0;
        while (i < n) {
            char c = s[i];
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (c == '\n' && lineEnds != null && count > 0) {
                    lineEnds.set(count - 1);
                }
                i++;
                continue;
            }
            int end = i + 1;
            if (!isPunctuation(c)) {
                while (end < n && !Character.isWhitespace(s[end]) && !isPunctuation(s[end]) && !Character.isISOControl(s[end])) {
                    end++;
                }
            }
            count = word(s, i, end, out, count, maxTokens);
            if (count < 0) {
                return -1;
            }
            i = end;
        }
        return count;
    }

    /** Texts up to this many characters are copied into the thread's buffer; longer ones get a buffer of their own. */
    private static final int KEPT_CHARS = 16 * 1024;
    private static final ThreadLocal<char[]> CHARS = ThreadLocal.withInitial(() -> new char[2048]);

    private static char[] chars(int n) {
        char[] mine = CHARS.get();
        if (mine.length >= n) {
            return mine;
        }
        if (n > KEPT_CHARS) {
            return new char[n];
        }
        char[] grown = new char[Math.max(n, 2 * mine.length)];
        CHARS.set(grown);
        return grown;
    }

    private int word(char[] s, int start, int end, int[] out, int count, int maxTokens) {
        if (end - start > MAX_WORD_CHARS) {
            return append(out, count, maxTokens, UNK);
        }
        int from = start;
        int first = count;
        while (from < end) {
            boolean continuation = from != start;
            int id = -1;
            // No piece is longer than the vocabulary's longest: shorter ends are the only ones that can match.
            int to = Math.min(end, from + vocab.longest());
            while (to > from) {
                id = vocab.find(s, from, to, continuation);
                if (id >= 0) {
                    break;
                }
                to--;
            }
            if (id < 0) {
                // BERT replaces the whole word by [UNK] when any part has no piece.
                return append(out, first, maxTokens, UNK);
            }
            count = append(out, count, maxTokens, id);
            if (count < 0) {
                return -1;
            }
            from = to;
        }
        return count;
    }

    private static final int OTHER = 0;
    private static final int ASCII_LOWER = 1;
    private static final int ASCII_WITH_CAPITALS = 2;

    /** {@link #OTHER} when the text has a character past ASCII, else whether it has a capital A-Z. */
    private static int asciiKind(String text) {
        int kind = ASCII_LOWER;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 128) {
                return OTHER;
            }
            if (c >= 'A' && c <= 'Z') {
                kind = ASCII_WITH_CAPITALS;
            }
        }
        return kind;
    }

    private static int append(int[] out, int count, int maxTokens, int id) {
        if (count >= maxTokens || count >= out.length) {
            return -1;
        }
        out[count] = id;
        return count + 1;
    }

    private static String normalize(String text) {
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        boolean ascii = true;
        for (int i = 0; i < lower.length() && ascii; i++) {
            ascii = lower.charAt(i) < 128;
        }
        if (ascii) {
            return lower;
        }
        String decomposed = Normalizer.normalize(lower, Normalizer.Form.NFD);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (Character.getType(c) != Character.NON_SPACING_MARK) {
                b.append(c);
            }
        }
        return b.toString();
    }

    static boolean isPunctuation(char c) {
        if ((c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126)) {
            return true;
        }
        int type = Character.getType(c);
        return type == Character.CONNECTOR_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.START_PUNCTUATION || type == Character.END_PUNCTUATION
                || type == Character.INITIAL_QUOTE_PUNCTUATION || type == Character.FINAL_QUOTE_PUNCTUATION
                || type == Character.OTHER_PUNCTUATION;
    }
}
