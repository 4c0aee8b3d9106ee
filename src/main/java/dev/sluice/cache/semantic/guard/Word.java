package dev.sluice.cache.semantic.guard;

/**
 * What one whitespace-separated piece of a question contributes to its {@link CodeIdentity}: nothing (bare
 * punctuation), a negation, a name ({@code n:2}, {@code c:refresh_session}), or a lower-case prose word with the sense
 * name it adds by itself. A pure function of the piece's characters, so it is computed once per distinct piece and
 * remembered (h-sem15): a 200-word question used to cost a substring, a trimmed copy, a lower-cased copy and a dozen
 * inflection candidates per word, most of a guarded miss's garbage, and questions are made of a few thousand words.
 *
 * @param piece the piece as it appears in the text, between whitespace (the memo's key)
 * @param kind what it is
 * @param word the lower-case prose word, or "" for the other kinds (it still counts as a position)
 * @param name the name added, for {@link Kind#NAME}; else null
 * @param sense {@link SenseWords#sense} of the prose word, or null
 */
record Word(String piece, Kind kind, String word, String name, String sense) {
    enum Kind { EMPTY, NEGATION, NAME, PROSE }

    /** Pieces longer than this are analysed every time (rare: long paths and identifiers), never remembered. */
    static final int MAX_REMEMBERED = 32;
    /**
     * Direct-mapped and shared by every thread: a slot holds the last piece that hashed there. Words are immutable
     * (final fields), so a racing reader sees a whole one or the previous one, and a key mismatch only costs the
     * analysis. Bounded: 4,096 slots, a few hundred KB at most.
     */
    private static final Word[] MEMO = new Word[4096];

    /** The analysis of {@code text[start, end)}, remembered or computed. */
    static Word of(String text, int start, int end) {
        int length = end - start;
        if (length > MAX_REMEMBERED) {
            return analyse(text.substring(start, end));
        }
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        int slot = (h ^ (h >>> 16)) & (MEMO.length - 1);
        Word known = MEMO[slot];
        if (known != null && known.piece.length() == length && known.piece.hashCode() == h
                && text.regionMatches(start, known.piece, 0, length)) {
            return known;
        }
        Word fresh = analyse(text.substring(start, end));
        MEMO[slot] = fresh;
        return fresh;
    }

    /** The rules, as {@link CodeIdentity} applied them to each piece before h-sem15. */
    static Word analyse(String piece) {
        String token = CodeIdentity.trim(piece);
        if (token.isEmpty()) {
            return new Word(piece, Kind.EMPTY, "", null, null);
        }
        String lower = token.toLowerCase(java.util.Locale.ROOT).replace('’', '\'');
        if (CodeIdentity.negation(lower)) {
            return new Word(piece, Kind.NEGATION, "", null, null);
        }
        String number = CodeIdentity.numberWord(lower);
        if (number != null) {
            return new Word(piece, Kind.NAME, "", "n:" + number, null);
        }
        if (CodeIdentity.isCode(token)) {
            return new Word(piece, Kind.NAME, "", CodeIdentity.hasDigit(token) ? "n:" + lower : "c:" + token, null);
        }
        return new Word(piece, Kind.PROSE, lower, null, SenseWords.sense(lower));
    }
}
