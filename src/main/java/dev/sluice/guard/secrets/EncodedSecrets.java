package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Base64Fragments;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Credentials inside base64 written as plain text: {@code echo R0lUSFVCX1RPS0VOPWdocF8... | base64 -d} in a tool result,
 * a {@code .env} file or a kubeconfig encoded whole, a text file attached as base64. Reported under the rule of the
 * credential inside, over the whole encoded run (a redaction replaces the run).
 *
 * <p>How it stays in the prefilter, as {@code inject.EncodedPayload} does for injection phrases: each word that a
 * credential line holds ({@code TOKEN}, {@code password}, {@code _KEY=}, {@code github_pat_}, {@code PRIVATE KEY}, ...)
 * has, at each of the three alignments in a base64 group, characters that depend on its bytes alone (so does a git
 * host after a URL's credentials, {@code @github.com}); those (six or more) are exact keywords, and where one occurs the
 * run around it is decoded from the group boundary the keyword fixes, at most {@value #MAX_RUN} characters, and the
 * other detectors read the decoded bytes ({@link Emitter#secretIn}: one level of base64, percent escapes inside it read
 * decoded too, a budget of decoded bytes per body). Base64 of ordinary source code
 * that says {@code token} is decoded and found clean; random base64 holds a six-character fragment by chance about once
 * in 10^10 offsets.
 */
public final class EncodedSecrets implements Detector {
    /** A run shorter than this (in characters) is not decoded: a {@code NAME=value} line encodes to more. */
    static final int MIN_RUN = 20;
    /** The most characters of a run decoded around a keyword. */
    static final int MAX_RUN = 64 * 1024;
    private static final String[] WORDS = {"TOKEN", "token", "SECRET", "secret", "PASSWORD", "password", "_KEY=", "_KEY_",
        "api_key", "=ghp_", "github_pat_", "sk-ant-", "sk-proj-", "xoxb-", "PRIVATE KEY", "client-key-data",
        // A token in a remote's URL (git push https://ci:ghp_...@github.com/...): a line with no name word in it.
        ":ghp_", "@github.com", "@gitlab.com", "@bitbucket.org"};

    private final List<Rule> inside;
    private final List<Keyword> keywords;
    /** Per keyword: how many characters after a base64 group boundary it starts. */
    private final int[] phase;

    /** @param inside the credential rules of the detectors that read the decoded bytes: it runs when one of them is on */
    public EncodedSecrets(List<Rule> inside) {
        this.inside = List.copyOf(inside);
        Map<String, Integer> fragments = new LinkedHashMap<>();
        for (String word : WORDS) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            for (int align = 0; align < 3; align++) {
                Base64Fragments.Fragment f = Base64Fragments.of(w, align);
                if (f.text().length() >= 6) {
                    fragments.putIfAbsent(f.text(), f.start() & 3);
                }
            }
        }
        List<Keyword> k = new ArrayList<>();
        fragments.keySet().forEach(f -> k.add(Keyword.exact(f)));
        keywords = List.copyOf(k);
        phase = fragments.values().stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public List<Rule> rules() {
        // Reports the rules of the credentials it finds inside; it has none of its own.
        return inside;
    }

    @Override
    public List<Keyword> keywords() {
        return keywords;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int runFrom = Chars.runBack(t, start, MAX_RUN / 2, EncodedSecrets::base64OrBreak);
        int runTo = Chars.run(t, end, MAX_RUN / 2, EncodedSecrets::base64OrBreak);
        if (runTo - runFrom < MIN_RUN) {
            return runTo;
        }
        // The run without its line breaks (`base64` wraps at 76 columns), each character's offset in the text kept.
        byte[] b = t.bytes();
        byte[] chars = new byte[runTo - runFrom];
        int[] at = new int[runTo - runFrom];
        int n = 0;
        int key = -1;
        for (int i = runFrom; i < runTo; i++) {
            if (i == start) {
                key = n;
            }
            if (b[i] != '\n' && b[i] != '\r') {
                chars[n] = b[i];
                at[n++] = i;
            }
        }
        // The keyword fixes where the run's groups begin; a character or three before that belong to no group of it.
        int from = Math.floorMod(key - phase[keyword], 4);
        byte[] decoded = new byte[(n - from) / 4 * 3 + 3];
        int[] span = decode(chars, from, n, key, decoded);
        if (span == null || span[2] < MIN_RUN / 4 * 3) {
            return runTo;
        }
        Rule inside = out.secretIn(decoded, 0, span[2]);
        if (inside != null) {
            out.report(t, inside, at[span[0]], at[span[1] - 1] + 1);
        }
        return runTo;
    }

    private static boolean base64OrBreak(int c) {
        return base64(c) || c == '\n' || c == '\r';
    }

    private static boolean base64(int c) {
        return Chars.base64(c) || Chars.base64url(c) || c == '=';
    }

    /**
     * Decodes the groups of {@code b[from, to)} (standard or URL-safe alphabet) into {@code out}; a group holding
     * {@code =} before {@code keyAt} ({@code NAME=R0lU...}) restarts the decoding after it, one after ends it (padding).
     * Returns {decoded-from, decoded-to of the text, bytes written}, or null when nothing decoded.
     */
    private static int[] decode(byte[] b, int from, int to, int keyAt, byte[] out) {
        int first = from;
        int n = 0;
        int p = from;
        while (p + 4 <= to) {
            int v = 0;
            int pad = 0;
            for (int j = 0; j < 4; j++) {
                int c = b[p + j];
                int d = value(c);
                if (c == '=') {
                    pad++;
                } else if (d < 0 || pad > 0) {
                    pad = 4;
                }
                v = v << 6 | Math.max(d, 0);
            }
            if (pad > 2 || pad > 0 && b[p] == '=') {
                if (p + 4 <= keyAt) {
                    first = p + 4;
                    n = 0;
                    p += 4;
                    continue;
                }
                break;
            }
            out[n++] = (byte) (v >>> 16);
            if (pad < 2) {
                out[n++] = (byte) (v >>> 8);
            }
            if (pad < 1) {
                out[n++] = (byte) v;
            }
            p += 4;
            if (pad > 0) {
                break;
            }
        }
        return n == 0 ? null : new int[] {first, p, n};
    }

    private static int value(int c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' || c == '-' ? 62 : c == '/' || c == '_' ? 63 : -1;
    }
}
