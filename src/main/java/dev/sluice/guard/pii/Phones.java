package dev.sluice.guard.pii;

/**
 * Phone numbers in the layouts people write: E.164 ({@code +44 20 7946 0958}, {@code +14155550123}),
 * North American ({@code (415) 555-0123}, {@code 415-555-0123}, {@code 1-415-555-0123}) and European
 * national numbers with a trunk 0 in spaced groups (as London's {@code 020 7946 0958}, which is a fictional one).
 * Undivided digits without a {@code +} are ids and timestamps, not phone numbers. The ranges set aside for
 * fiction and documentation (555-01xx, 020 7946 0xxx, 07700 900xxx) are examples.
 */
final class Phones {
    private Phones() {
    }

    static boolean valid(Shape s) {
        String d = s.digits;
        int n = d.length();
        if (s.plus) {
            return n >= 8 && n <= 15 && d.charAt(0) != '0' && (s.groups > 1 || n >= 10) && !fictional(d);
        }
        if (s.groups < 2) {
            return false;
        }
        if (n == 10 && northAmerican(s, 0) || n == 11 && d.charAt(0) == '1' && s.length(0) == 1 && northAmerican(s, 1)) {
            return !fictional(d);
        }
        return d.charAt(0) == '0' && d.charAt(1) != '0' && (n == 10 || n == 11) && s.dashes + s.spaces >= 1 && !s.parens
                && s.length(0) >= 2 && s.length(0) <= 5 && minGroup(s) >= 3 && !fictional(d);
    }

    /** 3-3-4 groups from {@code first}, area and exchange codes not starting with 0 or 1. */
    private static boolean northAmerican(Shape s, int first) {
        if (s.groups - first != 3 || s.length(first) != 3 || s.length(first + 1) != 3 || s.length(first + 2) != 4) {
            return false;
        }
        String d = s.digits.substring(first == 0 ? 0 : 1);
        return d.charAt(0) >= '2' && d.charAt(3) >= '2';
    }

    private static int minGroup(Shape s) {
        int min = Integer.MAX_VALUE;
        for (int g = 0; g < s.groups; g++) {
            min = Math.min(min, s.length(g));
        }
        return min;
    }

    /** Numbers reserved for films, books and documentation. */
    private static boolean fictional(String d) {
        String national = d.startsWith("1") && d.length() == 11 ? d.substring(1) : d;
        if (national.length() == 10 && national.startsWith("555", 3) && national.startsWith("01", 6)) {
            return true;
        }
        String uk = d.startsWith("44") ? "0" + d.substring(2) : d;
        return uk.startsWith("0207946") || uk.startsWith("07700900") || uk.startsWith("01632960") || uk.startsWith("01134960");
    }
}
