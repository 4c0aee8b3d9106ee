package dev.sluice.guard.pii;

import dev.sluice.guard.detect.Chars;
import dev.sluice.guard.detect.Text;

/** The layout of a number candidate: its digits, its groups and which separators split them. */
final class Shape {
    final String digits;
    final int groups;
    final int[] groupLengths;
    final int[] groupValues;
    final int dots;
    final int dashes;
    final int spaces;
    final boolean plus;
    final boolean parens;

    private Shape(String digits, int groups, int[] lengths, int[] values, int dots, int dashes, int spaces, boolean plus, boolean parens) {
        this.digits = digits;
        this.groups = groups;
        this.groupLengths = lengths;
        this.groupValues = values;
        this.dots = dots;
        this.dashes = dashes;
        this.spaces = spaces;
        this.plus = plus;
        this.parens = parens;
    }

    static Shape of(Text t, int from, int to) {
        StringBuilder digits = new StringBuilder(20);
        int[] lengths = new int[16];
        int[] values = new int[16];
        int groups = 0;
        int dots = 0;
        int dashes = 0;
        int spaces = 0;
        boolean parens = false;
        boolean inGroup = false;
        for (int i = from; i < to; i++) {
            int c = t.at(i);
            if (Chars.digit(c)) {
                if (!inGroup) {
                    groups++;
                    inGroup = true;
                }
                if (groups <= 16) {
                    lengths[groups - 1]++;
                    values[groups - 1] = Math.min(1_000_000, values[groups - 1] * 10 + (c - '0'));
                }
                digits.append((char) c);
            } else {
                inGroup = false;
                dots += c == '.' ? 1 : 0;
                dashes += c == '-' ? 1 : 0;
                spaces += c == ' ' ? 1 : 0;
                parens |= c == '(' || c == ')';
            }
        }
        return new Shape(digits.toString(), Math.min(groups, 16), lengths, values, dots, dashes, spaces, t.at(from) == '+', parens);
    }

    int length(int group) {
        return groupLengths[group];
    }

    /** {@code ddd-dd-dddd} or {@code ddd dd dddd}. */
    boolean ssn() {
        return groups == 3 && !plus && !parens && dots == 0 && (dashes == 2 || spaces == 2)
                && length(0) == 3 && length(1) == 2 && length(2) == 4;
    }

    /** 13-19 digits, bare, in fours, or 4-6-5 / 4-6-4; one kind of separator. */
    boolean cardLayout() {
        int n = digits.length();
        if (n < 13 || n > 19 || plus || parens || dots > 0 || (dashes > 0 && spaces > 0)) {
            return false;
        }
        if (groups == 1) {
            return true;
        }
        if (groups == 3 && length(0) == 4 && length(1) == 6 && (length(2) == 5 || length(2) == 4)) {
            return true;
        }
        for (int g = 0; g < groups - 1; g++) {
            if (length(g) != 4) {
                return false;
            }
        }
        return length(groups - 1) >= 1 && length(groups - 1) <= 4;
    }

    /** {@code ddd.ddd.dddd}: the one dotted layout that is a phone number rather than a version or an address. */
    boolean usDotted() {
        return dots == 2 && groups == 3 && dashes == 0 && spaces == 0 && length(0) == 3 && length(1) == 3 && length(2) == 4;
    }
}
