package dev.sluice.signin.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.sluice.signin.session.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the developer's email, name and groups from the ID token's claims, filling what it lacks
 * from userinfo. Groups may be a list or a single string; both are bounded, since the IdP's answer
 * ends up in every session token.
 */
final class Profiles {
    /**
     * Groups read from the IdP, plus one: the directory refuses a profile past {@link
     * dev.sluice.signin.session.Directory#MAX_READ_GROUPS} (never a silent cut that could drop a restrictive
     * group) and keeps the groups policy names when it trims to what a session stores.
     */
    static final int MAX_GROUPS = dev.sluice.signin.session.Directory.MAX_READ_GROUPS + 1;
    static final int MAX_TEXT = 256;

    private Profiles() {
    }

    /** True when the ID token already names an email, says whether it is verified, and carries the groups claim. */
    static boolean complete(JWTClaimsSet idToken, String groupsClaim) {
        return idToken.getClaim("email") instanceof String && idToken.getClaim("email_verified") != null
                && idToken.getClaim(groupsClaim) != null;
    }

    static Profile from(JWTClaimsSet idToken, JsonNode answered, String groupsClaim) {
        // OIDC Core §5.3.2: a userinfo answer about another subject (a mix-up, a shared access token) is not used.
        JsonNode userinfo = answered != null && idToken.getSubject() != null
                && idToken.getSubject().equals(answered.path("sub").asText(null)) ? answered : null;
        Map<String, Object> c = idToken.getClaims();
        String email = text(c.get("email"));
        Boolean verified = verified(c.get("email_verified"));
        if (email == null && userinfo != null) {
            email = text(userinfo.path("email").asText(null));
            verified = verified(userinfo.get("email_verified"));
        } else if (verified == null && email != null && userinfo != null && email.equals(text(userinfo.path("email").asText(null)))) {
            verified = verified(userinfo.get("email_verified")); // some IdPs say it in userinfo only
        }
        String name = text(c.get("name"));
        if (name == null && userinfo != null) {
            name = text(userinfo.path("name").asText(null));
        }
        List<String> groups = groups(c.get(groupsClaim));
        if (groups.isEmpty() && userinfo != null) {
            groups = groups(userinfo.path(groupsClaim));
        }
        return new Profile(idToken.getIssuer(), idToken.getSubject(), email, verified, name, groups);
    }

    /**
     * The {@code email_verified} claim: true or false, or null when absent. Also read as the string "true" (some
     * IdPs send it so); any other value counts as not verified.
     */
    static Boolean verified(Object claim) {
        if (claim == null || claim instanceof JsonNode n && (n.isMissingNode() || n.isNull())) {
            return null;
        }
        if (claim instanceof Boolean b) {
            return b;
        }
        if (claim instanceof JsonNode n && n.isBoolean()) {
            return n.booleanValue();
        }
        String text = claim instanceof JsonNode n ? (n.isTextual() ? n.asText() : null) : claim instanceof String s ? s : null;
        return "true".equalsIgnoreCase(text);
    }

    private static List<String> groups(Object claim) {
        List<String> out = new ArrayList<>();
        if (claim instanceof String s) {
            add(out, s);
        } else if (claim instanceof List<?> list) {
            list.forEach(o -> add(out, o instanceof String s ? s : null));
        } else if (claim instanceof JsonNode node) {
            if (node.isTextual()) {
                add(out, node.asText());
            } else if (node.isArray()) {
                node.forEach(n -> add(out, n.isTextual() ? n.asText() : null));
            }
        }
        return out;
    }

    private static void add(List<String> out, String group) {
        String g = text(group);
        if (g != null && out.size() < MAX_GROUPS && !out.contains(g)) {
            out.add(g);
        }
    }

    private static String text(Object o) {
        if (!(o instanceof String s)) {
            return null;
        }
        String v = s.strip();
        return v.isEmpty() || v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl) ? null : v;
    }
}
