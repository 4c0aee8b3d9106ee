package dev.sluice.cache.semantic.guard;

import java.util.Set;

/**
 * Pulls quoted spans out of a question: backticks, double quotes (straight and curly) and single
 * quotes that open after a non-letter and close before one (so "don't" and "user's" stay prose).
 * Each span is kept whole and exact; the rest of the text is returned for the word rules.
 */
final class Quotes {
    private static final int MAX_SPAN = 2_000;

    private Quotes() {
    }

    /**
     * The text with each quoted span replaced by one space, the spans added to {@code names} as {@code q:span}. The
     * text itself when it quotes nothing (most questions): no copy of it (h-sem15).
     */
    static String extract(String text, Set<String> names) {
        StringBuilder rest = null;
        int copied = 0;
        int i = 0;
        while (i < text.length()) {
            char close = closer(text, i);
            if (close != 0) {
                int end = findClose(text, i + 1, close);
                if (end > i + 1) {
                    names.add("q:" + text.substring(i + 1, end));
                    if (rest == null) {
                        rest = new StringBuilder(text.length());
                    }
                    rest.append(text, copied, i).append(' ');
                    i = end + 1;
                    copied = i;
                    continue;
                }
            }
            i++;
        }
        return rest == null ? text : rest.append(text, copied, text.length()).toString();
    }

    private static char closer(String text, int i) {
        char c = text.charAt(i);
        return switch (c) {
            case '`' -> '`';
            case '"' -> '"';
            case '“' -> '”';
            case '\'' -> i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)) ? '\'' : 0;
            default -> 0;
        };
    }

    private static int findClose(String text, int from, char close) {
        int limit = Math.min(text.length(), from + MAX_SPAN);
        for (int j = from; j < limit; j++) {
            if (text.charAt(j) == close) {
                boolean letterAfter = j + 1 < text.length() && Character.isLetter(text.charAt(j + 1));
                if (close != '\'' || !letterAfter) {
                    return j;
                }
            }
        }
        return -1;
    }
}
