package dev.sluice.pipeline;

/**
 * Limits on caller-supplied text the gateway echoes in headers or keeps in records, logs and
 * metrics. A value is checked (and refused with a 400) where it enters when it decides anything;
 * {@link #text} cuts informational values (a user agent) so no caller can grow a log line or a
 * ledger row without bound.
 */
public final class Bounded {
    /** Model names (echoed in {@code x-sluice-model}, stored per attempt). */
    public static final int MODEL = 256;
    /** Session and request ids a client sends. */
    public static final int ID = 128;
    /** User agents. */
    public static final int CLIENT = 256;
    /** Request tag names ({@code x-sluice-tag-<name>}) and values, and how many a request may add. */
    public static final int TAG_NAME = 64;
    public static final int TAG_VALUE = 256;
    public static final int TAGS = 16;
    /** {@code metadata.user_id}, which Claude Code fills with a small JSON string. */
    public static final int METADATA_USER_ID = 1024;

    private Bounded() {
    }

    /** {@code s} cut to {@code max} characters (null stays null). */
    public static String text(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /** True when {@code s} has a character no HTTP header value may carry (controls other than tab, and DEL). */
    public static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for a plausible model name: printable ASCII without spaces, as every provider's ids are. Anything else
     * (spaces, look-alike Unicode hyphens, emoji) can only dodge a rule written for the real name, or mangle the
     * {@code x-sluice-model} header and the metrics it labels.
     */
    public static boolean isModelName(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }
}
