package dev.sluice.signin.session;

import java.util.List;

/**
 * What the IdP said about the developer, from its ID token and userinfo.
 *
 * @param subject the IdP's stable subject id
 * @param email   the developer's address (required: it names the user)
 * @param name    display name, or null
 * @param groups  groups from the configured claim (empty when the IdP sends none)
 */
public record Profile(String subject, String email, String name, List<String> groups) {
    public Profile {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** The part after {@code @}, lower-cased. */
    public String emailDomain() {
        int at = email.lastIndexOf('@');
        return at < 0 ? "" : email.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
    }
}
