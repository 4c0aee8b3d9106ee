package dev.sluice.cache.normalise;

import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The words that name a developer, to check that none is left in a body once their values are swapped: the user
 * name (the home directory's last component), the git user and the project slug.
 *
 * <p>Narrower than the answer templater's {@code IdentityTokens}, which takes every uncommon component of the home
 * path: that is right for a short answer, where a false alarm only pins an entry, but a forwarded body carries
 * pages of system prompt prose, and a component such as {@code shared} in {@code /srv/shared/home/dev} is an
 * ordinary word there. Container users ({@code dev}, {@code vscode}, {@code node}, ...) name nobody and are skipped.
 */
final class LeftoverNames {
    private static final Set<String> NOBODY = Set.of("dev", "developer", "root", "home", "user", "users", "vscode", "node",
            "ubuntu", "debian", "codespace", "coder", "gitpod", "app", "admin", "build", "runner", "workspace");

    private LeftoverNames() {
    }

    static List<String> of(Bindings changed) {
        List<String> out = new ArrayList<>(3);
        String home = changed.value(Placeholder.HOME);
        if (home != null) {
            String user = home.substring(home.lastIndexOf('/') + 1);
            if (user.length() >= 3 && !NOBODY.contains(user.toLowerCase(java.util.Locale.ROOT))) {
                out.add(user);
            }
        }
        for (Placeholder p : new Placeholder[] {Placeholder.GIT_USER, Placeholder.PROJECT_SLUG}) {
            String v = changed.value(p);
            if (v != null && v.length() >= 3) {
                out.add(v);
            }
        }
        return out;
    }
}
