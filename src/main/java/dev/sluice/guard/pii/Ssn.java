package dev.sluice.guard.pii;

import java.util.Set;

/** US social security numbers: area 001-899 except 666, group 01-99, serial 0001-9999; the famous examples excluded. */
final class Ssn {
    private static final Set<String> EXAMPLES = Set.of("123456789", "078051120", "219099999", "111111111", "987654320",
            "987654321", "987654322", "987654323", "987654324", "987654325", "987654326", "987654327", "987654328", "987654329");

    private Ssn() {
    }

    static boolean valid(String d) {
        if (d.length() != 9 || EXAMPLES.contains(d)) {
            return false;
        }
        int area = Integer.parseInt(d.substring(0, 3));
        int group = Integer.parseInt(d.substring(3, 5));
        int serial = Integer.parseInt(d.substring(5));
        return area > 0 && area != 666 && area < 900 && group > 0 && serial > 0;
    }
}
