package dev.sluice.signin.session;

import java.util.List;

/**
 * What the IdP said about the developer, from its ID token and userinfo.
 *
 * @param issuer        the IdP that vouched ({@code iss} of the ID token)
 * @param subject       the IdP's stable subject id ({@code sub})
 * @param email         the developer's address (required: it names the user)
 * @param emailVerified the IdP's {@code email_verified} for that address: true, false, or null when it sent none
 * @param name          display name, or null
 * @param groups        groups from the configured claim (empty when the IdP sends none)
 */
public record Profile(String issuer, String subject, String email, Boolean emailVerified, String name, List<String> groups) {
    public Profile {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** The part after {@code @}, lower-cased. */
    public String emailDomain() {
        int at = email.lastIndexOf('@');
        return at < 0 ? "" : email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
