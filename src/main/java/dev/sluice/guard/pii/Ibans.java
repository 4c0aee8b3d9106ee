package dev.sluice.guard.pii;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Emitter;
import dev.sluice.guard.detect.Text;
import java.util.Map;
import java.util.Set;

/**
 * IBANs: a country code, two check digits and the national account number, printed in fours or not, whose
 * length matches the country and whose ISO 7064 mod-97 checksum is 1. The examples from the standard and
 * the banks' documentation are left alone.
 */
final class Ibans {
    private static final Map<String, Integer> LENGTHS = Map.ofEntries(Map.entry("AD", 24), Map.entry("AT", 20),
            Map.entry("BE", 16), Map.entry("BG", 22), Map.entry("CH", 21), Map.entry("CY", 28), Map.entry("CZ", 24),
            Map.entry("DE", 22), Map.entry("DK", 18), Map.entry("EE", 20), Map.entry("ES", 24), Map.entry("FI", 18),
            Map.entry("FR", 27), Map.entry("GB", 22), Map.entry("GR", 27), Map.entry("HR", 21), Map.entry("HU", 28),
            Map.entry("IE", 22), Map.entry("IS", 26), Map.entry("IT", 27), Map.entry("LI", 21), Map.entry("LT", 20),
            Map.entry("LU", 20), Map.entry("LV", 21), Map.entry("MC", 27), Map.entry("MT", 31), Map.entry("NL", 18),
            Map.entry("NO", 15), Map.entry("PL", 28), Map.entry("PT", 25), Map.entry("RO", 24), Map.entry("SE", 24),
            Map.entry("SI", 19), Map.entry("SK", 24), Map.entry("SM", 27), Map.entry("TR", 26), Map.entry("UA", 29),
            Map.entry("AE", 23), Map.entry("SA", 24), Map.entry("IL", 23), Map.entry("BR", 29), Map.entry("QA", 29));
    private static final Set<String> EXAMPLES = Set.of("DE89370400440532013000", "GB82WEST12345698765432",
            "GB29NWBK60161331926819", "FR1420041010050500013M02606", "NL91ABNA0417164300", "GB33BUKB20201555555555",
            "CH9300762011623852957", "ES9121000418450200051332", "IT60X0542811101000000123456", "BE68539007547034",
            "AT611904300234573201", "DE75512108001245126199");

    private Ibans() {
    }

    static int check(Text t, int start, Emitter out) {
        StringBuilder iban = new StringBuilder(34);
        int i = start;
        int end = start;
        int limit = Math.min(t.length(), start + 44);
        Integer expected = LENGTHS.get(t.bytes().length > start + 1 ? new String(t.bytes(), start, 2, java.nio.charset.StandardCharsets.US_ASCII) : "");
        if (expected == null) {
            return start + 1;
        }
        while (i < limit && iban.length() < expected) {
            int c = t.at(i);
            if (Chars.digit(c) || Chars.upper(c)) {
                iban.append((char) c);
                end = ++i;
            } else if (c == ' ' && i + 1 < limit && Chars.alnum(t.at(i + 1)) && (iban.length() % 4 == 0)) {
                i++;
            } else {
                break;
            }
        }
        String value = iban.toString();
        if (value.length() != expected || !Chars.boundaryAt(t, end, Chars.Kind.ALNUM)
                || EXAMPLES.contains(value) || !mod97(value)) {
            return start + 1;
        }
        out.report(t, PersonalData.IBAN, start, end);
        return end;
    }

    static boolean mod97(String iban) {
        String moved = iban.substring(4) + iban.substring(0, 4);
        int rest = 0;
        for (int i = 0; i < moved.length(); i++) {
            char c = moved.charAt(i);
            int v = Character.isDigit(c) ? c - '0' : c - 'A' + 10;
            rest = v >= 10 ? (rest * 100 + v) % 97 : (rest * 10 + v) % 97;
        }
        return rest == 1;
    }
}
