package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;
import java.util.zip.CRC32;

/**
 * GitHub and GitLab tokens. GitHub's prefixed tokens ({@code ghp_}, {@code gho_}, {@code ghu_},
 * {@code ghs_}, {@code ghr_}) end in a CRC32 checksum of their random part, written in base62: a string
 * of the right shape whose checksum does not hold is not a token, which removes nearly every false
 * positive. Fine-grained ({@code github_pat_}) and GitLab tokens carry no checksum and are held to an
 * entropy test instead.
 */
public final class VcsTokens implements Detector {
    static final Rule GITHUB = Rule.secret("github-token", Severity.CRITICAL, "A GitHub personal access, OAuth, app or refresh token");
    static final Rule GITLAB = Rule.secret("gitlab-token", Severity.CRITICAL, "A GitLab personal, project, deploy, runner or OAuth token");

    private static final int GITHUB_CLASSIC = 5;
    private static final int GITHUB_FINE_GRAINED = 5;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final List<Keyword> KEYWORDS = List.of(Keyword.exact("ghp_"), Keyword.exact("gho_"), Keyword.exact("ghu_"),
            Keyword.exact("ghs_"), Keyword.exact("ghr_"), Keyword.exact("github_pat_"), Keyword.exact("glpat-"),
            Keyword.exact("gldt-"), Keyword.exact("glrt-"), Keyword.exact("glptt-"), Keyword.exact("gloas-"),
            Keyword.exact("glcbt-"), Keyword.exact("glimt-"), Keyword.exact("glsoat-"), Keyword.exact("glft-"));

    @Override
    public List<Rule> rules() {
        return List.of(GITHUB, GITLAB);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        if (!Tokens.freeLeft(t, start)) {
            return end;
        }
        if (keyword < GITHUB_CLASSIC) {
            int e = Chars.run(t, end, 37, Chars.Kind.ALNUM);
            if (e - end == 36 && checksumHolds(t, end) && !dev.sluice.guard.detect.Examples.example(t, end, e)) {
                out.report(t, GITHUB, start, e);
            }
            return e;
        }
        if (keyword == GITHUB_FINE_GRAINED) {
            int e = Chars.run(t, end, 120, Chars.Kind.WORD);
            if (e - end >= 70 && Chars.boundaryAt(t, e, Chars.Kind.WORD) && Tokens.random(t, end, e, 4.2)) {
                out.report(t, GITHUB, start, e);
            }
            return e;
        }
        int e = Chars.run(t, end, 300, c -> Chars.base64url(c) || c == '.');
        while (e > end && t.at(e - 1) == '.') {
            e--;
        }
        if (e - end >= 20 && Tokens.random(t, end, e, 3.5)) {
            out.report(t, GITLAB, start, e);
        }
        return e;
    }

    /** The last 6 characters are the base62 CRC32 of the 30 before them. */
    static boolean checksumHolds(Text t, int from) {
        CRC32 crc = new CRC32();
        crc.update(t.bytes(), from, 30);
        long expected = 0;
        for (int i = from + 30; i < from + 36; i++) {
            int d = BASE62.indexOf(t.at(i));
            if (d < 0) {
                return false;
            }
            expected = expected * 62 + d;
        }
        return expected == crc.getValue();
    }
}
