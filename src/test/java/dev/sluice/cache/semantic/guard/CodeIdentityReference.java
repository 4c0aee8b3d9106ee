package dev.sluice.cache.semantic.guard;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@link CodeIdentity#of} as it was before h-sem15 (a copy of the text for its quotes, a substring, a trimmed and a
 * lower-cased string per word, every sense word looked up again), kept to prove the remembered-word rewrite gives the
 * same names and negations. Only {@link SenseWords#root}, {@link SenseWords#negated} and {@link NumberWords#of} (widened in round 28) are shared: they did not
 * change (the first is checked against its original candidate set by {@link GuardWordsTest}).
 */
final class CodeIdentityReference {
    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "none", "nothing",
            "nobody", "neither", "nor", "cannot", "nowhere", "non");
    private static final String EDGE_PUNCT = ",;:!?()[]{}<>\"'`*“”‘’";
    private static final Set<String> DIRECTION = Set.of("to", "from", "into", "onto");
    private static final Set<String> SKIP = Set.of("the", "a", "an", "our", "my", "your", "their", "its", "this", "that");

    private CodeIdentityReference() {
    }

    static CodeIdentity of(String text) {
        TreeSet<String> names = new TreeSet<>();
        String rest = extractQuotes(text, names);
        int negations = 0;
        String[] raws = rest.split("\\s+");
        String[] words = new String[raws.length];
        for (int i = 0; i < raws.length; i++) {
            String token = trim(raws[i]);
            words[i] = "";
            if (token.isEmpty()) {
                continue;
            }
            String lower = token.toLowerCase(Locale.ROOT).replace('’', '\'');
            if (NEGATIONS.contains(lower) || lower.endsWith("n't")) {
                negations++;
            } else if (NumberWords.of(lower) != null) {
                names.add("n:" + NumberWords.of(lower));
                unit(raws, i, NumberWords.of(lower), names);
            } else if (CodeIdentity.isCode(token)) {
                names.add(CodeIdentity.hasDigit(token) ? "n:" + lower : "c:" + token);
                if (CodeIdentity.hasDigit(token)) {
                    unit(raws, i, lower, names);
                }
            } else {
                words[i] = lower;
            }
        }
        collect(words, names);
        return new CodeIdentity(names, negations);
    }

    /** Round 28's unit after a number, as CodeIdentity.unit reads it (the piece after, when it is a prose word). */
    private static void unit(String[] raws, int i, String number, Set<String> names) {
        if (i + 1 < raws.length) {
            String u = CodeIdentity.unit(Word.analyse(raws[i + 1]));
            if (u != null) {
                names.add("u:" + number + ":" + u);
            }
        }
    }

    private static void collect(String[] words, Set<String> out) {
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.isEmpty()) {
                continue;
            }
            if (i + 1 < words.length && (w.equals("log") || w.equals("sign")) && (words[i + 1].equals("in") || words[i + 1].equals("out"))) {
                out.add("s:" + (words[i + 1].equals("in") ? "login" : "logout"));
                i++;
                continue;
            }
            if (w.equals("how") && i + 1 < words.length && words[i + 1].equals("come")) {
                out.add("s:why");
                i++;
                continue;
            }
            if (SenseWords.ordered().contains(w)) { // round 28's ordering words, as SenseWords.collect
                for (int j = i + 1; j < words.length && j < i + 4; j++) {
                    if (!SKIP.contains(words[j]) && !words[j].isEmpty()) {
                        out.add("o:" + w + ":" + words[j]);
                        break;
                    }
                }
            }
            String root = SenseWords.root(w);
            if (root != null) {
                out.add("s:" + root);
            } else if (SenseWords.negated(w)) {
                out.add("s:" + w);
            } else if (DIRECTION.contains(w)) {
                for (int j = i + 1; j < words.length && j < i + 4; j++) {
                    if (!SKIP.contains(words[j]) && !words[j].isEmpty()) {
                        out.add("d:" + w + ":" + words[j]);
                        break;
                    }
                }
            }
        }
    }

    private static String trim(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && EDGE_PUNCT.indexOf(raw.charAt(start)) >= 0) {
            start++;
        }
        while (end > start && (EDGE_PUNCT.indexOf(raw.charAt(end - 1)) >= 0 || raw.charAt(end - 1) == '.')) {
            end--;
        }
        String token = raw.substring(start, end);
        if (token.endsWith("'s") || token.endsWith("’s")) {
            token = token.substring(0, token.length() - 2);
        }
        return token;
    }

    private static String extractQuotes(String text, Set<String> names) {
        StringBuilder rest = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            char close = switch (c) {
                case '`' -> '`';
                case '"' -> '"';
                case '“' -> '”';
                case '\'' -> i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)) ? '\'' : 0;
                default -> 0;
            };
            if (close != 0) {
                int end = -1;
                for (int j = i + 1; j < Math.min(text.length(), i + 1 + 2_000); j++) {
                    boolean letterAfter = j + 1 < text.length() && Character.isLetter(text.charAt(j + 1));
                    if (text.charAt(j) == close && (close != '\'' || !letterAfter)) {
                        end = j;
                        break;
                    }
                }
                if (end > i + 1) {
                    names.add("q:" + text.substring(i + 1, end));
                    rest.append(' ');
                    i = end + 1;
                    continue;
                }
            }
            rest.append(c);
            i++;
        }
        return rest.toString();
    }
}
