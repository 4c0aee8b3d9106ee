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
}
