package dev.sluice.guard.custom;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.sluice.guard.CustomRule;
import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.Arrays;
import java.util.List;

/**
 * An operator rule at work: around each keyword occurrence, the RE2J pattern runs over a window of
 * {@value #WINDOW} bytes either side (clipped to the string). Windows never overlap, because the next
 * occurrence inside a searched window is skipped, so each byte meets the pattern at most about twice.
 */
public final class RegexRule implements Detector {
    static final int WINDOW = 512;
    static final int OVERLAP = 128;

    private final Rule rule;
    private final Pattern pattern;
    private final List<Keyword> keywords;

    public RegexRule(CustomRule spec) {
        this.rule = spec.rule();
        this.pattern = Pattern.compile(spec.pattern());
        this.keywords = spec.keywords().stream().map(Keyword::of).toList();
    }

    @Override
    public List<Rule> rules() {
        return List.of(rule);
    }

    @Override
    public List<Keyword> keywords() {
        return keywords;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        // Searched windows overlap by a little, so a match across the edge of the last one is not cut in two.
        int from = Math.max(0, Math.max(start - WINDOW, out.mark() - OVERLAP));
        int to = Math.min(t.length(), end + WINDOW);
        out.mark(to);
        // RE2J reads UTF-8 bytes; offsets it reports are byte offsets into the window.
        byte[] window = Arrays.copyOfRange(t.bytes(), from, to);
        Matcher m = pattern.matcher(window);
        int at = 0;
        while (at <= window.length && m.find(at)) {
            int s = m.groupCount() >= 1 && m.start(1) >= 0 ? m.start(1) : m.start();
            int e = m.groupCount() >= 1 && m.start(1) >= 0 ? m.end(1) : m.end();
            if (e > s) {
                out.report(t, rule, from + s, from + e);
            }
            at = m.end() > m.start() ? m.end() : m.end() + 1;
        }
        // Later occurrences inside the searched window are covered by this search.
        return Math.max(end, to - OVERLAP);
    }
}
