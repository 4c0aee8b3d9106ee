package dev.sluice.guard.pii;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A run of digits and separators, classified by its shape: a dotted quad is an IPv4 address,
 * {@code ddd-dd-dddd} a social security number, 13 to 19 digits in groups of four (or Amex's 4-6-5) a card
 * number, and the international and national phone layouts a phone number. A bare run of digits is only a
 * card with a card word just before it: ids, timestamps and counters are bare digits too.
 */
final class Numbers {
    private static final int MAX_RUN = 26;
    private static final String[] CARD_WORDS = {"card", "visa", "mastercard", "amex", "credit", "debit", "cc", "pan"};

    private Numbers() {
    }

    static int check(Text t, int start, Emitter out) {
        if ((t.at(start) == '2' || t.at(start) == '3') && out.enabled(PersonalData.IP)) {
            int v6 = Ips.v6End(t, start);
            if (v6 > 0) {
                out.report(t, PersonalData.IP, start, v6);
                return v6;
            }
        }
        int end = runEnd(t, start);
        if (end <= start || !endsFree(t, end)) {
            return Math.max(end, start + 1);
        }
        // Nearly every number in code is short (line numbers, counts, ports): an IPv4 address has 4 digits at least
        // and three dots, everything else 8 digits at least. Count before building anything.
        int digits = 0;
        int dots = 0;
        for (int i = start; i < end; i++) {
            int c = t.at(i);
            digits += Chars.digit(c) ? 1 : 0;
            dots += c == '.' ? 1 : 0;
        }
        if (digits < 4 || digits < 8 && dots != 3) {
            return end;
        }
        Shape s = Shape.of(t, start, end);
        if (s.dots == 3 && s.groups == 4 && s.dashes == 0 && s.spaces == 0 && !s.plus && !s.parens) {
            if (out.enabled(PersonalData.IP) && Ips.publicV4(s.groupValues, s.groupLengths)) {
                out.report(t, PersonalData.IP, start, end);
            }
            return end;
        }
        if (s.dots > 0 && !s.usDotted()) {
            return end;
        }
        if (s.ssn() && out.enabled(PersonalData.SSN) && Ssn.valid(s.digits)) {
            out.report(t, PersonalData.SSN, start, end);
        } else if (s.cardLayout() && out.enabled(PersonalData.CARD) && Cards.valid(s.digits)
                && (s.groups > 1 || Words.before(t, start, 20, CARD_WORDS))) {
            out.report(t, PersonalData.CARD, start, end);
        } else if (out.enabled(PersonalData.PHONE) && Phones.valid(s)) {
            out.report(t, PersonalData.PHONE, start, end);
        }
        return end;
    }

    /** Digits with single separators between them; ends on the last digit. */
    private static int runEnd(Text t, int start) {
        int limit = Math.min(t.length(), start + MAX_RUN);
        int i = start;
        int lastDigit = -1;
        int separators = 0;
        if (t.at(i) == '+') {
            i++;
        }
        while (i < limit) {
            int c = t.at(i);
            if (Chars.digit(c)) {
                lastDigit = i;
                separators = 0;
            } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
                if (++separators > 2) {
                    break;
                }
            } else {
                break;
            }
            i++;
        }
        if (lastDigit < 0) {
            return start;
        }
        return lastDigit + 1;
    }

    /** The number is not glued to more digits, letters or a further dotted part (versions, decimals, words). */
    private static boolean endsFree(Text t, int end) {
        if (end >= t.length()) {
            return true;
        }
        int c = t.at(end);
        if (Chars.alnum(c) || c == '_' || c == '@' || c == '%') {
            return false;
        }
        return !((c == '.' || c == '-' || c == ':' || c == '/') && end + 1 < t.length() && Chars.digit(t.at(end + 1)));
    }

    /** Small word lookups near a number. */
    static final class Words {
        private Words() {
        }

        static boolean before(Text t, int at, int span, String... words) {
            int from = Math.max(0, at - span);
            String s = new String(t.bytes(), from, at - from, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            for (String w : words) {
                int i = s.indexOf(w);
                while (i >= 0) {
                    boolean left = i == 0 || !Character.isLetter(s.charAt(i - 1));
                    boolean right = i + w.length() >= s.length() || !Character.isLetter(s.charAt(i + w.length()));
                    if (left && right) {
                        return true;
                    }
                    i = s.indexOf(w, i + 1);
                }
            }
            return false;
        }
    }
}
