package dev.sluice.signin.session;

import java.util.Locale;

/**
 * Email-domain comparison for allow-lists, team and settings rules: ASCII only, case-insensitive in
 * ASCII alone. {@code String.equalsIgnoreCase} folds Unicode ({@code ı} to {@code I}, the Kelvin sign
 * to {@code k}), so {@code corp.ıo}, another registrable domain, would pass for {@code corp.io}.
 */
public final class EmailDomains {
    private EmailDomains() {
    }

    /** True when both are the same ASCII domain, letter case aside; never for a non-ASCII name. */
    public static boolean same(String configured, String domain) {
        return configured != null && domain != null && ascii(configured) && ascii(domain)
                && configured.toLowerCase(Locale.ROOT).equals(domain.toLowerCase(Locale.ROOT));
    }

    /** True when every character is ASCII (and printable: addresses have no controls). */
    public static boolean ascii(String s) {
        return s.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f);
    }
}
