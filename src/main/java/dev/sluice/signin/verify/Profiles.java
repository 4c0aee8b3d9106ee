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
    static final int MAX_GROUPS = 100;
    static final int MAX_TEXT = 256;

    private Profiles() {
    }

    /** True when the ID token already names an email and carries the groups claim, so userinfo is not needed. */
    static boolean complete(JWTClaimsSet idToken, String groupsClaim) {
        return idToken.getClaim("email") instanceof String && idToken.getClaim(groupsClaim) != null;
    }

    static Profile from(JWTClaimsSet idToken, JsonNode userinfo, String groupsClaim) {
        Map<String, Object> c = idToken.getClaims();
        String email = text(c.get("email"));
        if (email == null && userinfo != null) {
            email = text(userinfo.path("email").asText(null));
        }
        String name = text(c.get("name"));
        if (name == null && userinfo != null) {
            name = text(userinfo.path("name").asText(null));
        }
        List<String> groups = groups(c.get(groupsClaim));
        if (groups.isEmpty() && userinfo != null) {
            groups = groups(userinfo.path(groupsClaim));
        }
        return new Profile(idToken.getSubject(), email, name, groups);
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
