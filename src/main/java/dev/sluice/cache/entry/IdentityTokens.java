package dev.sluice.cache.entry;

import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Words that name the developer rather than the work: the user name inside their home path, the folders their
 * workspace sits in (all but the repository's own name, which everyone who shares the entry has), their git user
 * name and each of its words, and the date. An answer that still holds one after its paths became placeholders
 * depends on who asked, so it is pinned to them.
 *
 * <p>The workspace's folders count even under the home: {@code /home/carol/clients/acme-merger/calc} keys like
 * {@code /home/bob/calc}, so an answer saying "your checkout sits in ~/clients/acme-merger" (a form the path
 * templates do not match) would tell Bob where Carol works. A first name alone ("Thanks, Carol") is as personal as
 * the whole git user (attack round 16).
 */
public final class IdentityTokens {
    /** Path components too common to say anything about who is asking. */
    private static final Set<String> COMMON = Set.of("home", "Users", "users", "root", "src", "work", "workspace",
            "workspaces", "projects", "project", "code", "repos", "repo", "dev", "git", "tmp", "var", "opt", "mnt", "srv",
            "data", "build", "app", "apps", "Documents", "Desktop", "github", "gitlab", "private");

    private IdentityTokens() {
    }

    /**
     * The words naming the developer in {@code b}: path components, the whole git user, the date and the project slug
     * match in any case (a model writes {@code CAROL} or {@code carol.danvers} as its sentence wants); each word of the
     * git user matches as written, since a first name is often a common word ({@code Will}, {@code Mark}) that in lower
     * case would pin half of all answers.
     */
    static Names of(Bindings b) {
        List<String> tokens = new ArrayList<>();
        String home = b.value(Placeholder.HOME);
        String ws = b.value(Placeholder.WORKSPACE);
        if (home != null) {
            components(home, tokens, false);
        }
        if (ws != null) {
            components(ws, tokens, true);
        }
        for (Placeholder p : new Placeholder[] {Placeholder.GIT_USER, Placeholder.DATE, Placeholder.PROJECT_SLUG}) {
            String v = b.value(p);
            if (v != null && v.length() >= 3) {
                tokens.add(v);
            }
        }
        List<String> words = new ArrayList<>();
        String user = b.value(Placeholder.GIT_USER);
        if (user != null) {
            for (String word : user.split("[\\s.,_@+()'-]+")) {
                if (word.length() >= 3) {
                    words.add(word);
                }
            }
        }
        return new Names(tokens, words);
    }

    /** Words naming the developer: {@code anyCase} in any case, {@code exact} as written. */
    record Names(List<String> anyCase, List<String> exact) {
        /** The first of them found in {@code text} as a whole word, or null. */
        String firstIn(String text) {
            String found = firstInAnyCase(text, anyCase);
            return found != null ? found : IdentityTokens.firstIn(text, exact);
        }
    }

    /** Components of at least three characters that are not common; the repository's own name (a workspace's last component) is shared by everyone. */
    private static void components(String path, List<String> out, boolean dropLast) {
        String[] parts = path.split("/");
        int n = dropLast ? parts.length - 1 : parts.length;
        for (int k = 0; k < n; k++) {
            String c = parts[k];
            if (c.length() >= 3 && !COMMON.contains(c)) {
                out.add(c);
            }
        }
    }

    /**
     * The first token found in an answer's {@code text} as a whole word in any case, or null: a model writes a name in
     * the case its sentence wants ({@code danvers@acme.example} for the git user Carol Danvers).
     */
    static String firstInAnyCase(String text, List<String> tokens) {
        List<String> lower = new ArrayList<>(tokens.size());
        for (String t : tokens) {
            lower.add(t.toLowerCase(java.util.Locale.ROOT));
        }
        String found = firstIn(text.toLowerCase(java.util.Locale.ROOT), lower);
        return found == null ? null : tokens.get(lower.indexOf(found));
    }

    /** The first token found in {@code text} as a whole word, or null. */
    public static String firstIn(String text, List<String> tokens) {
        for (String t : tokens) {
            int at = text.indexOf(t);
            while (at >= 0) {
                boolean startOk = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
                int end = at + t.length();
                boolean endOk = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
                if (startOk && endOk) {
                    return t;
                }
                at = text.indexOf(t, at + 1);
            }
        }
        return null;
    }
}
