package dev.sluice.guard.stage;

import dev.sluice.config.GuardConfig;
import dev.sluice.pipeline.Identity;

/**
 * Which requests a policy is for: every field given must match (org, team and user ids, the gateway key's alias or
 * id, the upstream the routes pick, a glob over the requested model); a match with no fields matches everything.
 */
record PolicyMatch(String org, String team, String user, String key, String route, String model) {
    static final PolicyMatch ALL = new PolicyMatch(null, null, null, null, null, null);

    static PolicyMatch of(GuardConfig.Match m) {
        return m == null ? ALL : new PolicyMatch(m.org(), m.team(), m.user(), m.key(), m.route(), m.model());
    }

    /** True when every given field matches; {@code route} is only computed when a policy asks for it. */
    boolean matches(Identity who, java.util.function.Supplier<String> upstream, String requestedModel) {
        if (org != null && (who == null || !org.equals(who.orgId()))) {
            return false;
        }
        if (team != null && (who == null || !team.equals(who.teamId()))) {
            return false;
        }
        if (user != null && (who == null || !user.equals(who.userId()))) {
            return false;
        }
        if (key != null && (who == null || !(key.equals(who.keyAlias()) || key.equals(who.keyId())))) {
            return false;
        }
        if (model != null && !glob(model, requestedModel == null ? "" : requestedModel)) {
            return false;
        }
        return route == null || route.equals(upstream.get());
    }

    /**
     * {@code *} matches any run of characters, everything else itself. Greedy with one backtrack point (the last
     * star), so it runs in time linear in the pattern times the name, never exponential.
     */
    static boolean glob(String pattern, String name) {
        int p = 0;
        int n = 0;
        int star = -1;
        int mark = 0;
        while (n < name.length()) {
            if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                mark = n;
            } else if (p < pattern.length() && pattern.charAt(p) == name.charAt(n)) {
                p++;
                n++;
            } else if (star >= 0) {
                p = star + 1;
                n = ++mark;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
