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
 * A Google Cloud service-account key file: {@code "type": "service_account"} with a {@code private_key}
 * holding a PEM key and a {@code client_email} at {@code iam.gserviceaccount.com}. The private key is what
 * is reported (and redacted); the rest of the file is harmless on its own. It wins over the plain PEM rule
 * for the same bytes.
 */
public final class GcpServiceAccount implements Detector {
    static final Rule RULE = Rule.secret("gcp-service-account-key", Severity.CRITICAL,
            "The private key of a Google Cloud service-account JSON file");

    /** A service-account file is about 2.4 KB; its fields come in any order around the keyword. */
    private static final int WINDOW = 6 * 1024;
    private static final byte[] PRIVATE_KEY = "private_key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BEGIN = "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "-----END PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOMAIN = "gserviceaccount.com".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT_EMAIL = "client_email".getBytes(StandardCharsets.US_ASCII);

    @Override
    public List<Rule> rules() {
        return List.of(RULE);
    }

    @Override
    public List<Keyword> keywords() {
        return List.of(Keyword.of("service_account"), Keyword.of("gserviceaccount.com"));
    }

    @Override
    public int check(Text t, int keyword, int start, int end, Emitter out) {
        int from = Math.max(0, start - WINDOW);
        int to = Math.min(t.length(), end + WINDOW);
        // Whatever this window holds is decided now; keywords inside it need no second look (linear on floods).
        if (find(t, CLIENT_EMAIL, from, to) < 0 || find(t, DOMAIN, from, to) < 0) {
            return to;
        }
        int label = find(t, PRIVATE_KEY, from, to);
        while (label >= 0) {
            int begin = find(t, BEGIN, label, Math.min(to, label + 40 + BEGIN.length));
            if (begin >= 0) {
                long body = PemBlock.body(t, begin + BEGIN.length);
                int stop = (int) body;
                int count = (int) (body >>> 32);
                if (count >= 64 && t.matches(stop, END)) {
                    out.report(t, RULE, begin, stop + END.length);
                    return Math.max(end, stop + END.length);
                }
            }
            label = find(t, PRIVATE_KEY, label + PRIVATE_KEY.length, to);
        }
        return to;
    }

    static int find(Text t, byte[] word, int from, int to) {
        for (int i = from; i + word.length <= to; i++) {
            if (t.at(i) == (word[0] & 0xff) && t.matches(i, word)) {
                return i;
            }
        }
        return -1;
    }
}
