package dev.sluice.guard.detect;

import dev.sluice.guard.Rule;

/** Where detectors report. Offsets are decoded offsets into the {@link Text} passed along. */
public interface Emitter {

    /** True when the policy of this scan has the rule on (so a detector can skip work for rules that are off). */
    boolean enabled(Rule rule);

    /** A match of {@code rule} at decoded {@code [start, end)} of {@code text}: the bytes a redaction replaces. */
    void report(Text text, Rule rule, int start, int end);

    /**
     * A prompt-injection signal: the engine combines the signals of one string into a score. A signal that
     * is not {@code primary} (a concealment phrase, an address to the model) only adds to a string that has
     * a primary one.
     */
    void signal(Text text, Rule rule, int start, int end, double weight, boolean primary);

    /** For an object key inside a tool input: its string value, decoded, or null when the value is not a string. */
    Text valueOf(Text key);

    /**
     * The injection score of decoded bytes found inside this string (a base64 payload, text hidden in tag
     * characters), by the same injection rules, as if they came from a tool result. Nothing found inside is
     * reported by itself; the caller signals what it concludes. Returns 0 when called from inside such a payload.
     */
    double injectionScore(byte[] bytes, int from, int to);

    /**
     * The most severe credential the detectors find in decoded bytes found inside this string (a base64 run), as if
     * they were a tool result's text, or null: when there is none, when called from inside such a payload (one level
     * of encoding is read), or when the scan has decoded its budget of bytes already. Nothing found inside is reported
     * by itself; the caller reports the encoded run.
     */
    default Rule secretIn(byte[] bytes, int from, int to) {
        return null;
    }

    /**
     * A scratch value of the calling detector for the current string, 0 when the string starts: lets a
     * detector that searches a window around each keyword remember how far it already searched, so a
     * flood of keywords costs linear time.
     */
    int mark();

    void mark(int value);
}
