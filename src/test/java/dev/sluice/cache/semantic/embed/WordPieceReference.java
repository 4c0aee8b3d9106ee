package dev.sluice.cache.semantic.embed;

import java.text.Normalizer;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@link WordPiece#encode(String, int[], int, BitSet)} as it was before h-sem15 (a substring per candidate piece, a
 * lower-cased copy of every text), kept to prove the allocation-free rewrite gives the same ids and line ends.
 */
final class WordPieceReference {
    private final Map<String, Integer> vocab = new HashMap<>();

    WordPieceReference(WordPiece tokenizer) {
        for (int id = 0; id < tokenizer.vocabSize(); id++) {
            if (tokenizer.piece(id) != null) {
                vocab.put(tokenizer.piece(id), id);
            }
        }
    }

    int size() {
        return vocab.size();
    }

    int encode(String text, int[] out, int maxTokens, BitSet lineEnds) {
        String normal = normalize(text);
        int count = 0;
        int i = 0;
        int n = normal.length();
        while (i < n) {
            char c = normal.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                if (c == '\n' && lineEnds != null && count > 0) {
                    lineEnds.set(count - 1);
                }
                i++;
                continue;
            }
            int end = i + 1;
            if (!WordPiece.isPunctuation(c)) {
                while (end < n && !Character.isWhitespace(normal.charAt(end)) && !WordPiece.isPunctuation(normal.charAt(end))
                        && !Character.isISOControl(normal.charAt(end))) {
                    end++;
                }
            }
            count = word(normal, i, end, out, count, maxTokens);
            if (count < 0) {
                return -1;
            }
            i = end;
        }
        return count;
    }

    private int word(String s, int start, int end, int[] out, int count, int maxTokens) {
        if (end - start > 100) {
            return append(out, count, maxTokens, WordPiece.UNK);
        }
        int from = start;
        int first = count;
        while (from < end) {
            int id = -1;
            int to = end;
            while (to > from) {
                String candidate = from == start ? s.substring(from, to) : "##" + s.substring(from, to);
                Integer found = vocab.get(candidate);
                if (found != null) {
                    id = found;
                    break;
                }
                to--;
            }
            if (id < 0) {
                return append(out, first, maxTokens, WordPiece.UNK);
            }
            count = append(out, count, maxTokens, id);
            if (count < 0) {
                return -1;
            }
            from = to;
        }
        return count;
    }

    private static int append(int[] out, int count, int maxTokens, int id) {
        if (count >= maxTokens || count >= out.length) {
            return -1;
        }
        out[count] = id;
        return count + 1;
    }

    private static String normalize(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
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
}
