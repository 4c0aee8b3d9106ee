package dev.sluice.cache.semantic.guard;

import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What a question names that an embedding would blur: code identifiers, file paths, numbers and
 * versions, quoted strings, command-line flags, and how often it negates. Two questions may share
 * an answer only when these are equal; an embedding cannot be trusted with them, since
 * {@code refresh_session} and {@code refresh_token} are neighbours in any vector space.
 *
 * <p>The rules are deliberately conservative: a token counts as code when it has a shape prose
 * does not (an underscore, dot, slash, an inner capital, a digit, a leading dash, a quote around
 * it). A paraphrase that spells a number as a word is still equal ("two" is read as 2); one that
 * changes an identifier's spelling is a miss, which costs a hit, never a wrong answer.
 */
public record CodeIdentity(SortedSet<String> names, int negations) {
    /** Larger texts are not compared by meaning anyway (the embedder's cap is smaller). */
    public static final int MAX_CHARS = 64 * 1024;

    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "without", "none", "nothing",
            "nobody", "neither", "nor", "cannot", "nowhere", "non");
    private static final String EDGE_PUNCT = ",;:!?()[]{}<>\"'`*“”‘’";

    public CodeIdentity {
        Objects.requireNonNull(names, "names");
    }

    /** True when both name exactly the same code and negate the same number of times. */
    public boolean sameAs(CodeIdentity other) {
        return negations == other.negations && names.equals(other.names);
    }

    public static CodeIdentity of(String text) {
        return of(text, new TreeSet<>(), Integer.MAX_VALUE);
    }

    /**
     * The identity of {@code text} when one of {@code candidates} may have the same, else empty, decided as soon as
     * the text names something none of them names or negates more often than all of them: a 200-word miss whose
     * neighbours the guard refuses stops at its first such word instead of collecting all of them (h-sem13). A
     * present result is exactly {@link #of}'s (names are only ever added, negations only counted up, so an early
     * empty can never hide an equal candidate); callers still compare it with {@link #sameAs}.
     */
    public static Optional<CodeIdentity> ofUnlessForeign(String text, Collection<CodeIdentity> candidates) {
        int maxNegations = -1;
        for (CodeIdentity c : candidates) {
            maxNegations = Math.max(maxNegations, c.negations);
        }
        try {
            CodeIdentity found = of(text, new NamedByOne(candidates), maxNegations);
            return Optional.of(new CodeIdentity(new TreeSet<>(found.names), found.negations));
        } catch (Foreign e) {
            return Optional.empty();
        }
    }

    private static CodeIdentity of(String text, TreeSet<String> names, int maxNegations) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_CHARS) {
            throw new IllegalArgumentException("text: " + text.length() + " chars (expected: <= " + MAX_CHARS + ")");
        }
        if (maxNegations < 0) {
            throw Foreign.INSTANCE;
        }
        String rest = Quotes.extract(text, names);
        int negations = 0;
        // Each piece's analysis is remembered by its characters (Word), in this thread's buffers (Pieces): a question
        // of known words allocates nothing here (h-sem15). The rules are the same, piece by piece.
        Pieces pieces = Pieces.of(rest);
        for (int i = 0; i < pieces.count; i++) {
            Word w = Word.of(rest, pieces.starts[i], pieces.ends[i]);
            pieces.words[i] = w.word();
            pieces.senses[i] = w.sense();
            if (w.kind() == Word.Kind.NEGATION) {
                if (++negations > maxNegations) {
                    throw Foreign.INSTANCE;
                }
            } else if (w.kind() == Word.Kind.NAME) {
                names.add(w.name());
                if (w.name().startsWith("n:") && i + 1 < pieces.count) {
                    String unit = unit(Word.of(rest, pieces.starts[i + 1], pieces.ends[i + 1]));
                    if (unit != null) {
                        names.add("u:" + w.name().substring(2) + ":" + unit);
                    }
                }
            }
        }
        SenseWords.collect(pieces.words, pieces.senses, pieces.count, names);
        return new CodeIdentity(names, negations);
    }

    /**
     * The prose word after a number, as its unit: "5 seconds" and "5 minutes" name the same number, and at 0.96
     * similarity one got the other's answer (attack round 28). A plural's final s goes ("1 second", "2 seconds").
     */
    static String unit(Word next) {
        String word = next.word();
        if (next.kind() != Word.Kind.PROSE || word.isEmpty()) {
            return null;
        }
        return word.length() > 3 && word.endsWith("s") ? word.substring(0, word.length() - 1) : word;
    }

    /** True for a lower-case word that negates: not, never, without, isn't (an apostrophe already made straight). */
    static boolean negation(String lower) {
        return NEGATIONS.contains(lower) || lower.endsWith("n't");
    }

    /** The number a lower-case word spells ("two" is 2, "twice" 2x, "first" 1st, "twenty-one" 21), or null. */
    static String numberWord(String lower) {
        return NumberWords.of(lower);
    }

    /** A name set that refuses, by throwing {@link Foreign}, a name none of the candidates has. */
    private static final class NamedByOne extends TreeSet<String> {
        private final Collection<CodeIdentity> candidates;

        NamedByOne(Collection<CodeIdentity> candidates) {
            this.candidates = candidates;
        }

        @Override
        public boolean add(String name) {
            for (CodeIdentity c : candidates) {
                if (c.names.contains(name)) {
                    return super.add(name);
                }
            }
            throw Foreign.INSTANCE;
        }
    }

    /** Thrown to stop collecting (preallocated, no stack trace: it is control flow, never an error). */
    private static final class Foreign extends RuntimeException {
        static final Foreign INSTANCE = new Foreign();

        private Foreign() {
            super(null, null, false, false);
        }
    }

    static boolean isCode(String token) {
        if (hasDigit(token)) {
            return true;
        }
        if (token.startsWith("-") && token.length() > 1 && Character.isLetter(token.charAt(token.length() - 1))) {
            return true; // a flag: -v, --dry-run
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '_' || c == '/' || c == '\\' || c == '.' || c == ':' || c == '=' || c == '@' || c == '#'
                    || c == '$' || c == '(' || c == '<' || c == '>' || c == '~' || c == '|' || c == '&') {
                return true;
            }
            if (i > 0 && Character.isUpperCase(c) && Character.isLowerCase(token.charAt(i - 1))) {
                return true; // camelCase or PascalCase with an inner capital
            }
        }
        return false;
    }

    static boolean hasDigit(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (Character.isDigit(token.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    /** Strips sentence punctuation around a token; a final dot goes too ("see main.rs." is main.rs). */
    static String trim(String raw) {
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
            token = token.substring(0, token.length() - 2); // possessive: the user's locale
        }
        return token;
    }
}
