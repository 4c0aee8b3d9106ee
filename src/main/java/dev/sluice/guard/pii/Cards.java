package dev.sluice.guard.pii;

import java.util.Set;

/**
 * Payment card numbers: a known issuer prefix and length, and the Luhn check digit. The test numbers card
 * networks and payment providers publish (4242 4242 4242 4242 and friends) fill every payments test suite
 * and are examples, not card data.
 */
final class Cards {
    private static final Set<String> TEST_NUMBERS = Set.of("4111111111111111", "4242424242424242", "4000056655665556",
            "5555555555554444", "2223003122003222", "5200828282828210", "5105105105105100", "378282246310005", "371449635398431",
            "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667", "3566002020360505", "6200000000000005",
            "4012888888881881", "4222222222222", "30569309025904", "38520000023237", "3530111333300000", "4000000000000002",
            "4000000000009995", "4000000000000069", "4000000000000127", "4000000000000119", "4000002500003155",
            "4000002760003184", "4000000000003220", "4000000000000077", "4000000000000341", "5431111111111111",
            "6011601160116611", "4917610000000000", "4462030000000000", "4917300800000000");

    private Cards() {
    }

    static boolean valid(String d) {
        return issuer(d) && luhn(d) && !TEST_NUMBERS.contains(d) && !sameDigit(d);
    }

    static boolean luhn(String d) {
        int sum = 0;
        boolean twice = false;
        for (int i = d.length() - 1; i >= 0; i--) {
            int v = d.charAt(i) - '0';
            if (twice) {
                v *= 2;
                if (v > 9) {
                    v -= 9;
                }
            }
            sum += v;
            twice = !twice;
        }
        return sum % 10 == 0;
    }

    private static boolean issuer(String d) {
        int n = d.length();
        int p2 = Integer.parseInt(d.substring(0, 2));
        int p4 = Integer.parseInt(d.substring(0, 4));
        int p3 = Integer.parseInt(d.substring(0, 3));
        if (d.charAt(0) == '4') {
            return n == 13 || n == 16 || n == 19;
        }
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) {
            return n == 16;
        }
        if (p2 == 34 || p2 == 37) {
            return n == 15;
        }
        if (p4 == 6011 || p2 == 65 || (p3 >= 644 && p3 <= 649) || (p4 >= 3528 && p4 <= 3589) || p2 == 62) {
            return n >= 16 && n <= 19;
        }
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) {
            return n >= 14 && n <= 19;
        }
        return false;
    }

    private static boolean sameDigit(String d) {
        return d.chars().distinct().count() <= 2;
    }
}
