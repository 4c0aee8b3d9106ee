package dev.sluice.signin.policy;

/** A model pattern where {@code *} matches any run of characters; matched without regular expressions (linear, no backtracking blow-up). */
record Glob(String text) {
    boolean matches(String s) {
        if (s == null) {
            return false;
        }
        int p = 0;
        int i = 0;
        int star = -1;
        int mark = 0;
        while (i < s.length()) {
            if (p < text.length() && text.charAt(p) != '*' && text.charAt(p) == s.charAt(i)) {
                p++;
                i++;
            } else if (p < text.length() && text.charAt(p) == '*') {
                star = p++;
                mark = i;
            } else if (star >= 0) {
                p = star + 1;
                i = ++mark;
            } else {
                return false;
            }
        }
        while (p < text.length() && text.charAt(p) == '*') {
            p++;
        }
        return p == text.length();
    }
}
