package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Text a person cannot see but a model reads:
 * <ul>
 *   <li>Unicode tag characters (U+E0000 to U+E007F) mirror ASCII invisibly; a run of them is decoded and the
 *       hidden text scored as an injection of its own. Emoji subdivision flags (a black flag, up to six tags,
 *       a cancel tag) are the one legitimate use and are left alone.</li>
 *   <li>Runs of zero-width characters (U+200B-200D, U+2060, U+FEFF, U+180E): one joins an emoji, four or
 *       more in a row encode bits.</li>
 *   <li>Bidirectional overrides and isolates (U+202A-202E, U+2066-2069), the "Trojan Source" trick that makes
 *       code read differently from how it runs.</li>
 * </ul>
 * All arrive as raw UTF-8 or as {@code \\u} escapes; the detector sees them decoded either way.
 */
public final class HiddenUnicode implements Detector {
    static final Rule TAGS = Rule.injection("hidden-unicode-tags", "Invisible Unicode tag characters carrying text");
    static final Rule ZERO_WIDTH = Rule.injection("zero-width-run", "A run of zero-width characters (hidden bits)");
    static final Rule BIDI = Rule.injection("bidi-override", "Bidirectional override or isolate characters (Trojan Source)");

    private static final int TAG_KEYWORDS = 2;
    private static final int ZERO_WIDTH_KEYWORDS = 6;
    private static final List<Keyword> KEYWORDS = buildKeywords();

    private static List<Keyword> buildKeywords() {
        List<Keyword> k = new ArrayList<>();
        k.add(bytes(0xF3, 0xA0, 0x80));
        k.add(bytes(0xF3, 0xA0, 0x81));
        for (int cp : new int[] {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x180E}) {
            k.add(codePoint(cp));
        }
        for (int cp : new int[] {0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069}) {
            k.add(codePoint(cp));
        }
        return List.copyOf(k);
    }

    private static Keyword bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = (byte) b[i];
        }
        return new Keyword(r, true);
    }

    private static Keyword codePoint(int cp) {
        return new Keyword(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
    }

    @Override
    public List<Rule> rules() {
        return List.of(TAGS, ZERO_WIDTH, BIDI);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (keyword < TAG_KEYWORDS) {
            return tags(t, start, out);
        }
        if (keyword < TAG_KEYWORDS + ZERO_WIDTH_KEYWORDS) {
            return zeroWidth(t, start, out);
        }
        int cp = codePointAt(t, start);
        double weight = cp == 0x202E || cp == 0x202D ? 0.75 : 0.35;
        out.signal(t, BIDI, start, end, weight, true);
        return end;
    }

    private int tags(Text t, int start, Emitter out) {
        int i = start;
        byte[] hidden = new byte[256];
        int n = 0;
        while (i + 3 < t.length() && t.at(i) == 0xF3 && t.at(i + 1) == 0xA0 && (t.at(i + 2) == 0x80 || t.at(i + 2) == 0x81)) {
            int cp = 0xE0000 | ((t.at(i + 2) & 0x3F) << 6) | (t.at(i + 3) & 0x3F);
            int ascii = cp - 0xE0000;
            if (n < hidden.length && ascii >= 0x20 && ascii < 0x7F) {
                hidden[n++] = (byte) ascii;
            }
            i += 4;
        }
        int count = (i - start) / 4;
        if (count == 0) {
            return start + 3;
        }
        if (emojiFlag(t, start, i, count)) {
            return i;
        }
        double inner = out.injectionScore(hidden, 0, n);
        double weight = count >= 2 ? Math.max(0.9, inner) : 0.5;
        out.signal(t, TAGS, start, i, weight, true);
        return i;
    }

    /** A black flag (U+1F3F4) followed by a few tags and the cancel tag U+E007F: England, Scotland, Wales. */
    private static boolean emojiFlag(Text t, int start, int end, int count) {
        boolean flag = start >= 4 && t.at(start - 4) == 0xF0 && t.at(start - 3) == 0x9F && t.at(start - 2) == 0x8F && t.at(start - 1) == 0xB4;
        boolean cancel = t.at(end - 2) == 0x81 && t.at(end - 1) == 0xBF;
        return flag && cancel && count <= 7;
    }

    private int zeroWidth(Text t, int start, Emitter out) {
        int i = start;
        int count = 0;
        while (i + 2 < t.length() && zeroWidthAt(t, i)) {
            i += 3;
            count++;
        }
        if (count >= 4) {
            // Eight zero-width characters can carry one hidden byte; a long run is a message.
            out.signal(t, ZERO_WIDTH, start, i, count >= 32 ? 0.95 : count >= 8 ? 0.8 : 0.5, true);
        }
        return Math.max(i, start + 3);
    }

    private static boolean zeroWidthAt(Text t, int i) {
        int cp = codePointAt(t, i);
        return cp == 0x200B || cp == 0x200C || cp == 0x200D || cp == 0x2060 || cp == 0xFEFF || cp == 0x180E;
    }

    private static int codePointAt(Text t, int i) {
        if (i + 2 >= t.length()) {
            return -1;
        }
        int a = t.at(i);
        if ((a & 0xF0) != 0xE0) {
            return -1;
        }
        return ((a & 0x0F) << 12) | ((t.at(i + 1) & 0x3F) << 6) | (t.at(i + 2) & 0x3F);
    }
}
