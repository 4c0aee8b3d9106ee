package dev.sluice.guard.pii;

import dev.sluice.guard.Rule;
import dev.sluice.guard.Severity;
import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Detector;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import dev.sluice.guard.engine.BytePermute;
import java.util.List;

/**
 * Personal data, off unless a tenant's policy turns it on: email addresses, phone numbers (E.164 and
 * national formats), US social security numbers, payment card numbers (Luhn), IBANs (mod-97) and public IPv4 and
 * IPv6 addresses. None of these has a keyword, so one pass over each string finds the candidates (an {@code @},
 * a run of digits and separators, two capitals and two digits) and hands them to the validators.
 */
public final class PersonalData implements Detector {
    public static final Rule EMAIL = Rule.pii("email", Severity.LOW, "An email address");
    public static final Rule PHONE = Rule.pii("phone-number", Severity.MEDIUM, "A phone number, international (E.164) or national");
    public static final Rule SSN = Rule.pii("us-ssn", Severity.HIGH, "A US social security number");
    public static final Rule CARD = Rule.pii("credit-card", Severity.HIGH, "A payment card number that passes the Luhn check");
    public static final Rule IBAN = Rule.pii("iban", Severity.MEDIUM, "An IBAN with a valid mod-97 checksum");
    public static final Rule IP = Rule.pii("ip-address", Severity.LOW, "A public IPv4 or IPv6 address");

    @Override
    public List<Rule> rules() {
        return List.of(EMAIL, PHONE, SSN, CARD, IBAN, IP);
    }

    @Override
    public boolean scansAll() {
        return true;
    }

    @Override
    public void scanAll(Text t, Emitter out) {
        scanAll(t, 0, t.length(), out);
    }

    /**
     * Every validator reads a window of a few hundred bytes at most around its candidate, so a text can be scanned as it
     * grows ({@link Detector#scanAll(Text, int, int, Emitter)}).
     */
    @Override
    public int scanAll(Text t, int from, int limit, Emitter out) {
        boolean email = out.enabled(EMAIL);
        boolean numbers = out.enabled(PHONE) || out.enabled(SSN) || out.enabled(CARD) || out.enabled(IP);
        boolean iban = out.enabled(IBAN);
        byte[] b = t.bytes();
        int n = t.length();
        int i = from;
        while (i < limit) {
            // Most bytes can start nothing: registers of them are passed over at once (where the vector API is
            // present), then a table lookup passes over the rest in a tight loop.
            if (VECTOR && (i > 0 || n == 0 || START[b[0] & 0xff] == 0)) {
                i = VectorStarts.skip(b, i, n, email, numbers, iban);
            }
            while (i < n && START[b[i] & 0xff] == 0) {
                i++;
            }
            if (i >= limit) {
                // Nothing starts before the limit. The next call, with more of the text, judges again from the limit on.
                return limit;
            }
            if (!starts(t, i, email, numbers, iban)) {
                i++;
                continue;
            }
            i = check(t, i, out);
        }
        return i;
    }

    /**
     * Where the vector API and 64-byte registers are there: the SIMD search over all the strings at once, by a byte-kind
     * lookup where that is one instruction ({@link VectorKinds#mark}), else by compares ({@link VectorStarts#mark}).
     */
    @Override
    public boolean markCandidates(byte[] strings, int length, long[] starts) {
        if (!VECTOR || !VectorStarts.canMark()) {
            return false;
        }
        if (BytePermute.AVAILABLE) {
            VectorKinds.mark(strings, length, starts);
        } else {
            VectorStarts.mark(strings, length, starts);
        }
        return true;
    }

    /**
     * The loop of {@link #scanAll} with the bits of {@link #markCandidates} in place of {@link VectorStarts#skip}: the
     * offsets they leave out are ones where the loop would only have stepped on, so the same candidates reach the validators.
     */
    @Override
    public void scanCandidates(Text t, long[] starts, int base, Emitter out) {
        boolean email = out.enabled(EMAIL);
        boolean numbers = out.enabled(PHONE) || out.enabled(SSN) || out.enabled(CARD) || out.enabled(IP);
        boolean iban = out.enabled(IBAN);
        int end = base + t.length();
        int i = 0;
        for (int block = base >>> 6; block << 6 < end; block++) {
            long bits = starts[block];
            while (bits != 0) {
                int j = (block << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                int c = j - base;
                if (j >= end) {
                    break;
                }
                if (c >= i && starts(t, c, email, numbers, iban)) {
                    i = check(t, c, out);
                }
            }
        }
    }

    /** True when a candidate of some kind may start with byte {@code b}: where the engine's search has to stop when it cannot tell. */
    public static boolean mayStart(byte b) {
        return START[b & 0xff] != 0;
    }

    /** True when a candidate of some enabled-or-not kind starts at {@code i}: what the engine's search must never pass over (tests). */
    public static boolean startsAt(Text t, int i) {
        return starts(t, i, true, true, true);
    }

    /** Hands the candidate at {@code i} to its validator; returns where to go on. */
    static int check(Text t, int i, Emitter out) {
        int kind = START[t.at(i)];
        return kind == AT ? Emails.check(t, i, out) : kind == NUMBER ? Numbers.check(t, i, out) : Ibans.check(t, i, out);
    }

    /**
     * True when a candidate of an enabled kind starts at {@code i} (the validators decide what it is). Two kinds
     * of candidate that the validators would reject at once, returning just past them, are not candidates here:
     * an {@code @} with nothing of an address's local part before it (a Java annotation), and a number of one to
     * three digits that ends there (Claude Code's Read output starts every line with one: {@code "    42→"}).
     * Stepping on from those offsets instead reaches the same next offset with nothing found, so what is found is
     * the same; only the SIMD search no longer stops at every line.
     */
    static boolean starts(Text t, int i, boolean email, boolean numbers, boolean iban) {
        byte[] b = t.bytes();
        return looksLikeStart(t, i, email, numbers, iban) && switch (START[b[i] & 0xff]) {
            case AT -> i > 0 && Emails.localChar(b[i - 1] & 0xff);
            case NUMBER -> !tooShort(b, i, t.length());
            default -> true;
        };
    }

    /** The shape test alone: what {@link #starts} was before it passed over candidates rejected at once (tests compare the two). */
    static boolean looksLikeStart(Text t, int i, boolean email, boolean numbers, boolean iban) {
        byte[] b = t.bytes();
        int n = t.length();
        return switch (START[b[i] & 0xff]) {
            case AT -> email;
            case NUMBER -> numbers && (Chars.digit(b[i]) || i + 1 < n && Chars.digit(b[i + 1])) && numberStart(t, i);
            case CAPITAL -> iban && i + 3 < n && Chars.upper(b[i + 1]) && Chars.digit(b[i + 2]) && Chars.digit(b[i + 3])
                    && Chars.boundaryBefore(t, i, Chars.Kind.ALNUM);
            default -> false;
        };
    }

    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final int AT = 1;
    private static final int NUMBER = 2;
    private static final int CAPITAL = 3;
    /** What a candidate can start with: '@', a digit, '+' or '(' (a phone number), a capital (an IBAN). */
    private static final byte[] START = new byte[256];

    static {
        START['@'] = AT;
        for (int c = '0'; c <= '9'; c++) {
            START[c] = NUMBER;
        }
        START['+'] = NUMBER;
        START['('] = NUMBER;
        for (int c = 'A'; c <= 'Z'; c++) {
            START[c] = CAPITAL;
        }
    }

    /**
     * A number of one to three digits at {@code i} that the next byte ends: {@link Numbers#check} would find no
     * address in it (an IPv6 address opens with four hex digits, which is why a hex letter after a 2 or a 3 goes
     * on), and no number either (an IPv4 address has four digits at least, every other number rule eight), and it
     * would return the offset just past the digits, all of which, preceded by a digit, start nothing.
     */
    static boolean tooShort(byte[] b, int i, int n) {
        if (!Chars.digit(b[i])) {
            return false;
        }
        boolean hex = b[i] == '2' || b[i] == '3';
        for (int k = 1; k <= 3; k++) {
            if (i + k >= n) {
                return true;
            }
            int c = b[i + k] & 0xff;
            if (!Chars.digit(c)) {
                return !(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || hex && Chars.hex(c));
            }
        }
        return false;
    }

    /** A number starts here: not in the middle of a word, an identifier, a path, a version or a longer number. */
    private static boolean numberStart(Text t, int i) {
        if (i == 0) {
            return true;
        }
        int p = t.at(i - 1);
        return !(Chars.alnum(p) || p == '.' || p == '_' || p == '-' || p == '/' || p == '+' || p == '#' || p == '$'
                || p == '\\' || p == ':' || p == '=' && i >= 2 && t.at(i - 2) == '=');
    }
}
