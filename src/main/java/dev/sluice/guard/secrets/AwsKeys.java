package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Assignment;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Entropy;
import dev.sluice.guard.detect.Examples;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.util.List;

/**
 * AWS access key ids ({@code AKIA}/{@code ASIA} + 16 base32 characters) and their secret access keys
 * (40 base64 characters). A secret is reported when it sits near a key id (the pair, as in
 * {@code ~/.aws/credentials} or an {@code aws sts} reply) or right after a secret-access-key label.
 * AWS's documented examples ({@code AKIAIOSFODNN7EXAMPLE}) never match.
 */
public final class AwsKeys implements Detector {
    static final Rule KEY_ID = Rule.secret("aws-access-key-id", Severity.MEDIUM, "An AWS access key id (AKIA/ASIA...)");
    static final Rule SECRET = Rule.secret("aws-secret-access-key", Severity.CRITICAL,
            "An AWS secret access key, next to its key id or its label");

    /** How far from a key id its secret is looked for (a credentials file, a JSON reply). */
    private static final int PAIR_WINDOW = 600;
    private static final int PREFIXES = 4;
    private static final List<Keyword> KEYWORDS = List.of(Keyword.exact("AKIA"), Keyword.exact("ASIA"), Keyword.exact("ABIA"),
            Keyword.exact("ACCA"), Keyword.of("secret_access_key"), Keyword.of("secretaccesskey"), Keyword.of("secret-access-key"),
            Keyword.of("aws_secret_key"));

    @Override
    public List<Rule> rules() {
        return List.of(KEY_ID, SECRET);
    }

    @Override
    public List<Keyword> keywords() {
        return KEYWORDS;
    }

    @Override
    public int check(Text text, int keyword, int start, int end, Emitter out) {
        return keyword < PREFIXES ? keyId(text, start, end, out) : label(text, end, out);
    }

    private int keyId(Text t, int start, int end, Emitter out) {
        int idEnd = Chars.run(t, end, 17, AwsKeys::base32);
        if (idEnd - start != 20 || !Tokens.freeLeft(t, start) || !Chars.boundaryAt(t, idEnd, Chars.Kind.ALNUM)
                || Examples.example(t, start, idEnd)) {
            return end;
        }
        out.report(t, KEY_ID, start, idEnd);
        int from = Math.max(out.mark(), start - PAIR_WINDOW);
        int to = Math.min(t.length(), idEnd + PAIR_WINDOW);
        out.mark(to);
        int i = Math.max(0, from);
        while (i < to) {
            if (!Chars.base64(t.at(i)) || !Chars.boundaryBefore(t, i, AwsKeys::secretChar)) {
                i++;
                continue;
            }
            int e = Chars.run(t, i, 41, AwsKeys::secretChar);
            if (e - i == 40 && secret(t, i, e)) {
                out.report(t, SECRET, i, e);
            }
            i = Math.max(e, i + 1);
        }
        return idEnd;
    }

    private int label(Text t, int end, Emitter out) {
        int nameEnd = Chars.run(t, end, 8, Chars.Kind.WORD);
        long found = Assignment.valueAfter(t, nameEnd);
        if (found < 0) {
            return end;
        }
        int start = (int) found;
        int e = Chars.run(t, start, 41, AwsKeys::secretChar);
        if (e - start == 40 && secret(t, start, e)) {
            out.report(t, SECRET, start, e);
        }
        return Math.max(e, end);
    }

    /** 40 bytes of base64 with mixed case and digits and no example marker; not a hex digest (git and SHA-1 ids). */
    private static boolean secret(Text t, int from, int to) {
        if (!Chars.boundaryAt(t, to, AwsKeys::secretChar) || Examples.example(t, from, to)) {
            return false;
        }
        boolean upper = false;
        boolean lower = false;
        boolean digit = false;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            upper |= Chars.upper(c);
            lower |= Chars.lower(c);
            digit |= Chars.digit(c);
        }
        return upper && lower && digit && Entropy.bits(t, from, to) >= 4.0;
    }

    private static boolean base32(int c) {
        return Chars.upper(c) || (c >= '2' && c <= '7');
    }

    private static boolean secretChar(int c) {
        return Chars.base64(c);
    }
}
