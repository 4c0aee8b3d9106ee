package dev.sluice.guard.detect;

import dev.sluice.guard.Rule;
import java.util.List;

/**
 * A validator behind the keyword prefilter. The engine calls {@link #check} only where one of
 * {@link #keywords()} occurs, with the decoded string around it; the detector looks at a bounded window
 * there and reports what it can prove. Detectors are stateless and thread-safe.
 *
 * <p>A detector whose matches have no keyword (phone numbers, card numbers) says so with
 * {@link #scansAll()} and gets every string once through {@link #scanAll}, only when one of its rules is on.
 */
public interface Detector {

    /** The rules this detector reports. */
    List<Rule> rules();

    /** Keywords that must occur for this detector to have anything to check. */
    default List<Keyword> keywords() {
        return List.of();
    }

    /**
     * Checks the occurrence of {@code keywords().get(keyword)} at decoded {@code [start, end)} of {@code text}.
     *
     * @return a decoded offset before which later occurrences need no check (the end of what was examined);
     *     this is what keeps a flood of keywords linear
     */
    default int check(Text text, int keyword, int start, int end, Emitter out) {
        return end;
    }

    /** True when the detector reads every string itself instead of checking keyword occurrences. */
    default boolean scansAll() {
        return false;
    }

    default void scanAll(Text text, Emitter out) {
    }

    /**
     * For a detector that {@link #scansAll()}: searches all the strings of a body at once, {@code strings[0, length)},
     * one after another with a 0xFF byte between them, for where a candidate may start, setting bit {@code j & 63} of
     * {@code starts[j >>> 6]} (which holds {@code (length >>> 6) + 2} words) for each such offset {@code j}; the engine
     * then calls {@link #scanCandidates} for the strings with a bit set instead of {@link #scanAll} for all. Returns false
     * when it cannot (the default), and the engine calls {@link #scanAll}.
     */
    default boolean markCandidates(byte[] strings, int length, long[] starts) {
        return false;
    }

    /**
     * As {@link #scanAll}, told by {@link #markCandidates} where a candidate may start: bit {@code j & 63} of
     * {@code starts[j >>> 6]} for offset {@code j - base} of {@code text}, where {@code base} is where the text sits among
     * the strings searched. The bits are a superset of the offsets where one does: the scan finds what {@link #scanAll} finds.
     */
    default void scanCandidates(Text text, long[] starts, int base, Emitter out) {
        scanAll(text, out);
    }

    /**
     * As {@link #scanAll}, for a text that is still growing (a streamed answer): checks the candidates that start in
     * {@code [from, limit)}, reading the text up to its {@link Text#length()}, and returns the offset to resume from
     * when more of the text has arrived (never less than {@code from}). Called with {@code from} = what the last call
     * returned, and with {@code limit} = the length once the text is complete, it reports what one {@link #scanAll}
     * of the complete text reports, provided no candidate before {@code limit} needs bytes past the length.
     * This default waits for the complete text and then reads it whole.
     */
    default int scanAll(Text text, int from, int limit, Emitter out) {
        if (limit < text.length() || from >= text.length() || from > 0) {
            return from;
        }
        scanAll(text, out);
        return text.length();
    }
}
