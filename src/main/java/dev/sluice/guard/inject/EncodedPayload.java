package dev.sluice.guard.inject;

import dev.sluice.guard.Rule;
import dev.sluice.guard.detect.Base64Fragments;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Injection phrases smuggled in base64 ("aWdub3JlIGFsbCBwcmV2aW91cyBpbnN0cnVjdGlvbnM=").
 *
 * <p>How it stays in the prefilter: base64 turns each 3 bytes into 4 characters, so a word inside an encoded
 * text has one of three encodings depending on where it starts. For each trigger word and each of the three
 * alignments, the characters that depend on the word's bytes alone are computed once (they are the same
 * whatever surrounds the word) and become exact keywords. A hit means the base64 run around it is decoded
 * (at most {@value #MAX_RUN} bytes) and the decoded text is scored by the injection rules; only a payload
 * that itself scores is reported. Random base64 (hashes, keys, test data) does not contain a 7-character
 * exact fragment of these words by chance, so this costs nothing on ordinary traffic.
 */
public final class EncodedPayload implements Detector {
    static final Rule RULE = Rule.injection("encoded-injection", "Injection phrasing hidden in a base64 payload");

    static final int MAX_RUN = 64 * 1024;
    private static final String[] TRIGGERS = {"ignore", "Ignore", "IGNORE", "disregard", "Disregard", "instructions",
        "Instructions", "system prompt", "you are now", "You are now", "do anything now"};
    private static final List<Keyword> KEYWORDS = fragments();

    static List<Keyword> fragments() {
        Set<String> out = new LinkedHashSet<>();
        for (String word : TRIGGERS) {
            byte[] w = word.getBytes(StandardCharsets.US_ASCII);
            for (int align = 0; align < 3; align++) {
                String fragment = Base64Fragments.of(w, align).text();
                if (fragment.length() >= 6) {
                    out.add(fragment);
                }
            }
        }
        List<Keyword> k = new ArrayList<>();
        out.forEach(f -> k.add(Keyword.exact(f)));
        return List.copyOf(k);
    }

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int from = Chars.runBack(t, start, MAX_RUN, c -> Chars.base64(c) || Chars.base64url(c));
        int to = Chars.run(t, end, MAX_RUN, c -> Chars.base64(c) || Chars.base64url(c));
        // The run may start a character or three before the payload's first group: try each alignment.
        for (int shift = 0; shift < 4 && from + shift <= start; shift++) {
            byte[] decoded = decode(t, from + shift, to);
            double inner = decoded.length == 0 ? 0 : out.injectionScore(decoded, 0, decoded.length);
            if (inner >= 0.5) {
                out.signal(t, RULE, from + shift, to, Math.max(0.85, inner), true);
                break;
            }
        }
        return to;
    }

    /** Decodes the run, standard or URL-safe, dropping a trailing partial group. */
    private static byte[] decode(Text t, int from, int to) {
        int n = (to - from) / 4 * 4;
        String s = new String(t.bytes(), from, n, StandardCharsets.ISO_8859_1).replace('-', '+').replace('_', '/');
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
