package dev.sluice.cache.semantic.guard;

import java.util.Map;

/**
 * The number a lower-case word spells, so a question's numbers are names whether written as digits or words.
 * Every cardinal to twenty, the tens, the large units, their ordinals, multiplicatives, and hyphenated compounds
 * ("twenty-one" is 21, "twenty-first" 21st). Attack round 28: only zero to twelve, twenty, hundred, thousand and
 * million were known, so "fifteen ideas" and "sixteen ideas" were the same question to the guard and, at 0.93
 * similarity, one got the other's answer.
 */
final class NumberWords {
    private static final Map<String, Integer> CARDINALS = Map.ofEntries(
            Map.entry("zero", 0), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4),
            Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9),
            Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13),
            Map.entry("fourteen", 14), Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17),
            Map.entry("eighteen", 18), Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30),
            Map.entry("forty", 40), Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70),
            Map.entry("eighty", 80), Map.entry("ninety", 90), Map.entry("dozen", 12), Map.entry("hundred", 100),
            Map.entry("thousand", 1000), Map.entry("million", 1_000_000), Map.entry("billion", 1_000_000_000));
    private static final Map<String, String> ORDINALS = Map.ofEntries(
            Map.entry("first", "one"), Map.entry("second", "two"), Map.entry("third", "three"), Map.entry("fourth", "four"),
            Map.entry("fifth", "five"), Map.entry("sixth", "six"), Map.entry("seventh", "seven"), Map.entry("eighth", "eight"),
            Map.entry("ninth", "nine"), Map.entry("tenth", "ten"), Map.entry("eleventh", "eleven"), Map.entry("twelfth", "twelve"),
            Map.entry("thirteenth", "thirteen"), Map.entry("fourteenth", "fourteen"), Map.entry("fifteenth", "fifteen"),
            Map.entry("sixteenth", "sixteen"), Map.entry("seventeenth", "seventeen"), Map.entry("eighteenth", "eighteen"),
            Map.entry("nineteenth", "nineteen"), Map.entry("twentieth", "twenty"), Map.entry("thirtieth", "thirty"),
            Map.entry("fortieth", "forty"), Map.entry("fiftieth", "fifty"), Map.entry("sixtieth", "sixty"),
            Map.entry("seventieth", "seventy"), Map.entry("eightieth", "eighty"), Map.entry("ninetieth", "ninety"),
            Map.entry("hundredth", "hundred"), Map.entry("thousandth", "thousand"), Map.entry("millionth", "million"));
    private static final Map<String, String> OTHERS = Map.of("once", "1x", "twice", "2x", "thrice", "3x", "half", "1/2",
            "quarter", "1/4", "single", "1x", "double", "2x", "triple", "3x", "quadruple", "4x");

    private NumberWords() {
    }

    /** The number {@code lower} spells ("two" is 2, "twice" 2x, "first" 1st, "twenty-one" 21), or null. */
    static String of(String lower) {
        String other = OTHERS.get(lower);
        if (other != null) {
            return other;
        }
        int dash = lower.indexOf('-');
        if (dash < 0) {
            return single(lower);
        }
        // "twenty-one", "forty-second": a tens word and a unit; any other compound of number words is kept as spelt.
        String tens = lower.substring(0, dash);
        String unit = lower.substring(dash + 1);
        Integer t = CARDINALS.get(tens);
        String u = single(unit);
        if (t == null || u == null || unit.indexOf('-') >= 0) {
            return null;
        }
        if (t >= 20 && t <= 90 && t % 10 == 0 && u.length() <= 3 && u.charAt(0) >= '1' && u.charAt(0) <= '9'
                && (u.length() == 1 || !Character.isDigit(u.charAt(1)))) {
            return (t + (u.charAt(0) - '0')) + u.substring(1);
        }
        return CARDINALS.get(tens) + "-" + u;
    }

    private static String single(String lower) {
        Integer n = CARDINALS.get(lower);
        if (n != null) {
            return Integer.toString(n);
        }
        String cardinal = ORDINALS.get(lower);
        return cardinal == null ? null : CARDINALS.get(cardinal) + suffix(CARDINALS.get(cardinal));
    }

    private static String suffix(int n) {
        int tens = n % 100;
        if (tens >= 11 && tens <= 13) {
            return "th";
        }
        return switch (n % 10) {
            case 1 -> "st";
            case 2 -> "nd";
            case 3 -> "rd";
            default -> "th";
        };
    }
}
