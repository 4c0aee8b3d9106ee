package dev.sluice.guard.secrets;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Keyword;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * PEM private keys (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted, PGP): a BEGIN line, a base64 body of real
 * length, and the END line. Documentation that shows the shape with "..." in place of the body does not
 * match; a key cut off by a truncated tool output does, when enough of its body is there.
 */
public final class PemPrivateKey implements Detector {
    static final Rule RULE = Rule.secret("private-key", Severity.CRITICAL, "A PEM private key block");

    private static final byte[] BEGIN = "-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BLOCK = " BLOCK".getBytes(StandardCharsets.US_ASCII);
    /** Fewer base64 characters than this is a sketch of a key, not a key (the smallest EC key has about 160). */
    private static final int MIN_BODY = 64;
    /** Without an END line, a body at least this long still counts (a truncated file view). */
    private static final int MIN_BODY_UNTERMINATED = 256;

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.exact("PRIVATE KEY"));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int begin = beginLine(t, start);
        if (begin < 0) {
            return end;
        }
        int after = end;
        if (t.matches(after, BLOCK)) {
            after += BLOCK.length;
        }
        if (!t.matches(after, DASHES)) {
            return end;
        }
        long body = PemBlock.body(t, after + DASHES.length);
        int stop = (int) body;
        int count = (int) (body >>> 32);
        int blockEnd = t.matches(stop, END) ? endLine(t, stop + END.length) : -1;
        if (count >= MIN_BODY && (blockEnd > 0 || count >= MIN_BODY_UNTERMINATED)) {
            out.report(t, RULE, begin, blockEnd > 0 ? blockEnd : stop);
        }
        return Math.max(end, blockEnd > 0 ? blockEnd : stop);
    }

    /** Start of "-----BEGIN [TYPE ]" right before {@code keyStart}, or -1. */
    private static int beginLine(Text t, int keyStart) {
        int i = keyStart;
        int limit = Math.max(0, keyStart - 24);
        while (i > limit && (t.at(i - 1) == ' ' || (t.at(i - 1) >= 'A' && t.at(i - 1) <= 'Z'))) {
            i--;
        }
        for (int b = i; b <= keyStart; b++) {
            if (b >= BEGIN.length && t.matches(b - BEGIN.length, BEGIN)) {
                return b - BEGIN.length;
            }
        }
        return -1;
    }

    /** End of "-----END ... KEY-----" from just after "-----END ", or -1. */
    private static int endLine(Text t, int from) {
        int limit = Math.min(t.length(), from + 40);
        for (int i = from; i < limit; i++) {
            int c = t.at(i);
            if (c == '-') {
                return t.matches(i, DASHES) ? i + DASHES.length : -1;
            }
            if (c != ' ' && !(c >= 'A' && c <= 'Z')) {
                return -1;
            }
        }
        return -1;
    }
}
