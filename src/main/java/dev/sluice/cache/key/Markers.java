package dev.sluice.cache.key;

import java.util.EnumMap;

/**
 * Finds Claude Code's developer-specific values in the text it injects (system prompt, the
 * environment message, the git-status reminder), reading raw JSON string bytes. A value ends at the
 * first backslash, so it is the same bytes at every JSON nesting level (an escape-free value), which
 * is what lets a stored answer carry it as a placeholder.
 *
 * <p>Markers, as Claude Code 2.1.330 writes them (see the captures under src/test/resources/cache):
 * <pre>
 *  - Primary working directory: /home/alice/src/calc\n
 *  You have a persistent file-based memory at `/home/alice/.claude/projects/-home-alice-src-calc/memory/`
 *  Git user: Alice Example\n
 *  Today's date is 2026-11-29.
 * </pre>
 * The first value of each kind wins; a later, different one is left in the key as it is (so a request
 * carrying two workspaces only matches a request carrying the same two).
 */
final class Markers {
    private static final byte[] WORKSPACE = ascii("Primary working directory: ");
    private static final byte[] MEMORY = ascii("persistent file-based memory at `");
    private static final byte[] CLAUDE_PROJECTS = ascii("/.claude/projects/");
    private static final byte[] GIT_USER = ascii("Git user: ");
    private static final byte[] DATE = ascii("Today's date is ");

    /** Positions of values replaced where they stand (git user and date), as (offset, length, placeholder id) triples. */
    private int[] sites = new int[12];
    private int siteCount;
    private final EnumMap<Placeholder, byte[]> found = new EnumMap<>(Placeholder.class);

    void reset() {
        siteCount = 0;
        found.clear();
    }

    EnumMap<Placeholder, byte[]> found() {
        return found;
    }

    int siteCount() {
        return siteCount;
    }

    int siteOffset(int n) {
        return sites[3 * n];
    }

    int siteLength(int n) {
        return sites[3 * n + 1];
    }

    int sitePlaceholder(int n) {
        return sites[3 * n + 2];
    }

    /** Looks for every marker in {@code src[from, to)}, the raw bytes of one JSON string. */
    void scan(byte[] src, int from, int to, KeyRules rules) {
        if (rules.has(KeyRule.WORKSPACE_PATHS)) {
            pathValue(src, from, to, WORKSPACE, Placeholder.WORKSPACE);
            memoryPath(src, from, to);
        }
        if (rules.has(KeyRule.GIT_USER)) {
            inPlace(src, from, to, GIT_USER, Placeholder.GIT_USER, -1);
        }
        if (rules.has(KeyRule.DATE)) {
            inPlace(src, from, to, DATE, Placeholder.DATE, 10);
        }
    }

    private void pathValue(byte[] src, int from, int to, byte[] marker, Placeholder p) {
        int at = indexOf(src, from, to, marker);
        if (at < 0 || found.containsKey(p)) {
            return;
        }
        int s = at + marker.length;
        int e = s;
        while (e < to && src[e] != '\\' && src[e] != ' ' && src[e] != '`' && src[e] != '"') {
            e++;
        }
        while (e > s + 1 && src[e - 1] == '/') {
            e--;
        }
        if (plausiblePath(src, s, e)) {
            found.put(p, java.util.Arrays.copyOfRange(src, s, e));
        }
    }

    /** {@code <home>/.claude/projects/<slug>/memory/}: gives the home path and the project slug. */
    private void memoryPath(byte[] src, int from, int to) {
        int at = indexOf(src, from, to, MEMORY);
        if (at < 0 || found.containsKey(Placeholder.HOME)) {
            return;
        }
        int s = at + MEMORY.length;
        int tick = s;
        while (tick < to && src[tick] != '`' && src[tick] != '\\' && src[tick] != '"') {
            tick++;
        }
        int projects = indexOf(src, s, tick, CLAUDE_PROJECTS);
        if (projects < 0 || !plausiblePath(src, s, projects)) {
            return;
        }
        int slugStart = projects + CLAUDE_PROJECTS.length;
        int slugEnd = slugStart;
        while (slugEnd < tick && src[slugEnd] != '/') {
            slugEnd++;
        }
        found.put(Placeholder.HOME, java.util.Arrays.copyOfRange(src, s, projects));
        if (slugEnd - slugStart >= 4) {
            found.put(Placeholder.PROJECT_SLUG, java.util.Arrays.copyOfRange(src, slugStart, slugEnd));
        }
    }

    /** A value replaced where it stands: after its marker, up to an escape or quote (or exactly {@code fixed} bytes). */
    private void inPlace(byte[] src, int from, int to, byte[] marker, Placeholder p, int fixed) {
        int at = indexOf(src, from, to, marker);
        while (at >= 0) {
            int s = at + marker.length;
            int e = s;
            if (fixed > 0) {
                e = s + fixed <= to && isDate(src, s) ? s + fixed : s;
            } else {
                while (e < to && src[e] != '\\' && src[e] != '"') {
                    e++;
                }
            }
            if (e > s && e - s <= 256) {
                byte[] value = java.util.Arrays.copyOfRange(src, s, e);
                byte[] first = found.putIfAbsent(p, value);
                if (first == null || java.util.Arrays.equals(first, value)) {
                    addSite(s, e - s, p.id());
                }
            }
            at = indexOf(src, e, to, marker);
        }
    }

    private static boolean isDate(byte[] src, int s) {
        for (int k = 0; k < 10; k++) {
            byte c = src[s + k];
            boolean dash = k == 4 || k == 7;
            if (dash ? c != '-' : c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** At least two components ("/a/b"): a bare "/" or "/tmp" would rewrite paths that are not the developer's. */
    private static boolean plausiblePath(byte[] src, int s, int e) {
        if (e - s < 4 || src[s] != '/' || e - s > 4096) {
            return false;
        }
        int slashes = 0;
        for (int k = s; k < e; k++) {
            if (src[k] == '/') {
                slashes++;
            }
        }
        return slashes >= 2;
    }

    private void addSite(int offset, int length, int placeholder) {
        if (3 * siteCount + 3 > sites.length) {
            sites = java.util.Arrays.copyOf(sites, sites.length * 2);
        }
        sites[3 * siteCount] = offset;
        sites[3 * siteCount + 1] = length;
        sites[3 * siteCount + 2] = placeholder;
        siteCount++;
    }

    /** Searches on a pair of bytes that prose rarely has: {@code y:}, a space and a backtick, {@code /.}, {@code Gi}, {@code y'}. */
    static int indexOf(byte[] src, int from, int to, byte[] pattern) {
        int anchor = 0;
        for (int k = 0; k + 1 < pattern.length; k++) {
            if ((pattern[k] == 'y' && (pattern[k + 1] == ':' || pattern[k + 1] == '\''))
                    || (pattern[k] == ' ' && pattern[k + 1] == '`')) {
                anchor = k;
                break;
            }
        }
        return ByteSearch.indexOf(src, from, to, pattern, anchor);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
