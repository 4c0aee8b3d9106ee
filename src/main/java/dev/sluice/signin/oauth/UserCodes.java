package dev.sluice.signin.oauth;

import dev.sluice.signin.session.Secrets;
import java.util.Locale;

/**
 * User codes as RFC 8628 §6.1 suggests: eight characters from a base-20 alphabet of consonants
 * without look-alikes (no vowels, so no words), shown as {@code XXXX-XXXX}; typed input is
 * upper-cased and stripped of dashes and spaces before comparing.
 */
public final class UserCodes {
    static final String ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
    static final int LENGTH = 8;

    private UserCodes() {
    }

    /** A fresh code in display form. */
    public static String next() {
        StringBuilder sb = new StringBuilder(LENGTH + 1);
        for (int i = 0; i < LENGTH; i++) {
            if (i == LENGTH / 2) {
                sb.append('-');
            }
            sb.append(ALPHABET.charAt(Secrets.index(ALPHABET.length())));
        }
        return sb.toString();
    }

    /** The canonical form of what a person typed, or null when it cannot be a code. */
    public static String normalize(String typed) {
        if (typed == null || typed.length() > 32) {
            return null;
        }
        StringBuilder sb = new StringBuilder(LENGTH);
        for (char ch : typed.toUpperCase(Locale.ROOT).toCharArray()) {
            if (ch == '-' || ch == ' ') {
                continue;
            }
            if (ALPHABET.indexOf(ch) < 0) {
                return null;
            }
            sb.append(ch);
        }
        if (sb.length() != LENGTH) {
            return null;
        }
        return sb.insert(LENGTH / 2, '-').toString();
    }
}
