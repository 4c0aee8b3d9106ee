package dev.sluice.cache.normalise;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.sluice.cache.key.Bindings;
import dev.sluice.cache.key.Placeholder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The team-constant values forwarded upstream in place of one developer's own, paired with that developer's values.
 *
 * <p>The stand-ins read like a dev container's, so the prompt the model reads stays natural:
 * <pre>
 *   workspace   /home/alice/src/calc                                  → /workspace/calc   (the repository's own name kept)
 *   memory dir  /home/alice/.claude/projects/-home-alice-src-calc     → /home/developer/.claude/projects/-workspace-calc
 *   home        /home/alice                                           → /home/developer
 *   git user    Alice Example                                         → Team Developer
 * </pre>
 * The slug stand-in is the one Claude Code would derive from the stand-in workspace (every character other than a
 * letter or digit becomes {@code -}). A value that already equals its stand-in (a developer in a dev container at
 * {@code /workspace/calc}) is left out: there is nothing to change, and nothing to map back.
 */
public final class StandIns {
    public static final String HOME = "/home/developer";
    public static final String WORKSPACE_PARENT = "/workspace/";
    public static final String GIT_USER = "Team Developer";
    private static final String PROJECTS = "/.claude/projects/";

    /** How a value is bounded in text: a path starts a path and ends at a path boundary; a name is a whole word. */
    enum Kind { PATH, NAME }

    /**
     * One developer value and its stand-in.
     *
     * @param own     the developer's value, as it appears in the request (escape-free UTF-8)
     * @param standIn what the upstream sees instead (ASCII)
     */
    record Pair(byte[] own, byte[] standIn, Kind kind) {
        @Override
        public String toString() {
            return new String(own, UTF_8) + " -> " + new String(standIn, UTF_8);
        }
    }

    private final List<Pair> pairs;
    private final Bindings changed;

    private StandIns(List<Pair> pairs, Bindings changed) {
        this.pairs = pairs;
        this.changed = changed;
    }

    /** The pairs for the values the keyer found; the date is not developer-specific and is never changed. */
    public static StandIns of(Bindings b) {
        List<Pair> out = new ArrayList<>(4);
        String ws = b.value(Placeholder.WORKSPACE);
        String home = b.value(Placeholder.HOME);
        String slug = b.value(Placeholder.PROJECT_SLUG);
        String git = b.value(Placeholder.GIT_USER);
        String wsStandIn = ws == null ? null : WORKSPACE_PARENT + lastComponent(ws);
        if (ws != null) {
            add(out, ws, wsStandIn, Kind.PATH);
        }
        if (home != null && slug != null) {
            String slugStandIn = slugOf(wsStandIn != null ? wsStandIn : WORKSPACE_PARENT + "project");
            add(out, home + PROJECTS + slug, HOME + PROJECTS + slugStandIn, Kind.PATH);
        }
        if (home != null) {
            add(out, home, HOME, Kind.PATH);
        }
        if (git != null) {
            add(out, git, GIT_USER, Kind.NAME);
        }
        EnumMap<Placeholder, String> changed = new EnumMap<>(Placeholder.class);
        putIf(changed, Placeholder.WORKSPACE, ws, wsStandIn);
        putIf(changed, Placeholder.HOME, home, HOME);
        putIf(changed, Placeholder.GIT_USER, git, GIT_USER);
        if (changed.containsKey(Placeholder.HOME) && slug != null) {
            changed.put(Placeholder.PROJECT_SLUG, slug);
        }
        return new StandIns(List.copyOf(out), Bindings.of(changed));
    }

    private static void putIf(Map<Placeholder, String> m, Placeholder p, String own, String standIn) {
        if (own != null && !own.equals(standIn)) {
            m.put(p, own);
        }
    }

    /** The developer values that are swapped (those already equal to their stand-in left out), for the leftover check. */
    Bindings changed() {
        return changed;
    }

    private static void add(List<Pair> out, String own, String standIn, Kind kind) {
        if (!own.equals(standIn)) {
            out.add(new Pair(own.getBytes(UTF_8), standIn.getBytes(UTF_8), kind));
        }
    }

    public boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** Every pair, in no particular order. */
    List<Pair> pairs() {
        return pairs;
    }

    /** The pairs by stand-in, longest first: the order the answer side tries them in. */
    List<Pair> byStandIn() {
        List<Pair> sorted = new ArrayList<>(pairs);
        sorted.sort(Comparator.comparingInt((Pair p) -> p.standIn().length).reversed());
        return sorted;
    }

    /** The stand-in the forwarding side writes for a matched developer path, or null when it is not one of ours. */
    byte[] standInForPath(byte[] own) {
        for (Pair p : pairs) {
            if (p.kind() == Kind.PATH && Arrays.equals(p.own(), own)) {
                return p.standIn();
            }
        }
        return null;
    }

    Pair name() {
        for (Pair p : pairs) {
            if (p.kind() == Kind.NAME) {
                return p;
            }
        }
        return null;
    }

    /** True when a value holds bytes JSON would escape: it could then not be swapped in raw JSON and in decoded text alike. */
    boolean needsEscaping() {
        for (Pair p : pairs) {
            for (byte c : p.own()) {
                if (c == '"' || c == '\\' || (c >= 0 && c < 0x20)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String lastComponent(String path) {
        int at = path.lastIndexOf('/');
        String last = at < 0 ? path : path.substring(at + 1);
        return last.isEmpty() ? "project" : last;
    }

    /** Claude Code's project slug of a path: each character other than an ASCII letter or digit becomes '-'. */
    static String slugOf(String path) {
        StringBuilder sb = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            sb.append((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? c : '-');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "StandIns" + pairs;
    }
}
