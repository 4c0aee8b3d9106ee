package dev.sluice.cache.key;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The developer's paths as match templates, longest first: the workspace, the memory directory
 * {@code <home>/.claude/projects/<slug>} and the home directory. The same matcher keys requests and
 * templates answers, so a path is replaced in both exactly when it would be in either.
 *
 * <p>A match must start where a path starts ({@link PathSites#startsPath})
 * and end at a path boundary: the next byte is not a name character ({@code /home/alice/src/calc2}
 * is not the workspace {@code /home/alice/src/calc}; {@code /home/alice/src/calc/x.py} is).
 */
public final class PathTemplates {
    private static final byte[] CLAUDE_PROJECTS = "/.claude/projects/".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One template: the bytes it matches and where its placeholders sit inside them (offsets relative to the match). */
    public record Template(byte[] bytes, int[] partOffsets, int[] partLengths, Placeholder[] parts) {
    }

    /** A match: where it starts and which template. */
    public record Match(int offset, Template template) {
        public int end() {
            return offset + template.bytes().length;
        }
    }

    /**
     * Every match in {@code src[from, to)} that starts at a path start and ends at a boundary, in order;
     * the same rule the keyer applies to requests.
     */
    public List<Match> matches(byte[] src, int from, int to) {
        if (templates.isEmpty()) {
            return List.of();
        }
        List<Match> out = new ArrayList<>();
        for (byte[] prefix : prefixes()) {
            int[] covered = {from};
            ByteSearch.forEach(src, from, to, prefix, 0, at -> {
                if (at >= covered[0] && (at == from || PathSites.startsPath(src, at))) {
                    Template t = match(src, at, to);
                    if (t != null) {
                        out.add(new Match(at, t));
                        covered[0] = at + t.bytes().length;
                    }
                }
                return true;
            });
        }
        out.sort(Comparator.comparingInt(Match::offset));
        return out;
    }

    /** The values matched, for checks on text that must not still hold them. */
    public List<byte[]> values() {
        List<byte[]> out = new ArrayList<>();
        for (Template t : templates) {
            out.add(t.bytes());
        }
        return out;
    }

    public static final PathTemplates NONE = new PathTemplates(List.of());

    private final List<Template> templates;
    private final List<byte[]> prefixes;

    private PathTemplates(List<Template> templates) {
        this.templates = templates;
        List<byte[]> distinct = new ArrayList<>(2);
        for (Template t : templates) {
            byte[] p = java.util.Arrays.copyOf(t.bytes(), 2);
            if (distinct.stream().noneMatch(q -> java.util.Arrays.equals(p, q))) {
                distinct.add(p);
            }
        }
        this.prefixes = List.copyOf(distinct);
    }

    public static PathTemplates of(Bindings b) {
        List<Template> list = new ArrayList<>(3);
        byte[] ws = b.bytes(Placeholder.WORKSPACE);
        byte[] home = b.bytes(Placeholder.HOME);
        byte[] slug = b.bytes(Placeholder.PROJECT_SLUG);
        if (ws != null) {
            list.add(new Template(ws, new int[] {0}, new int[] {ws.length}, new Placeholder[] {Placeholder.WORKSPACE}));
        }
        if (home != null && slug != null) {
            byte[] bytes = concat(home, CLAUDE_PROJECTS, slug);
            list.add(new Template(bytes, new int[] {0, home.length + CLAUDE_PROJECTS.length},
                    new int[] {home.length, slug.length}, new Placeholder[] {Placeholder.HOME, Placeholder.PROJECT_SLUG}));
        }
        if (home != null) {
            list.add(new Template(home, new int[] {0}, new int[] {home.length}, new Placeholder[] {Placeholder.HOME}));
        }
        list.sort(Comparator.comparingInt((Template t) -> t.bytes().length).reversed());
        return list.isEmpty() ? NONE : new PathTemplates(List.copyOf(list));
    }

    public boolean isEmpty() {
        return templates.isEmpty();
    }

    /** The distinct two-byte beginnings of the templates, to search a body for. */
    List<byte[]> prefixes() {
        return prefixes;
    }

    /**
     * The template matching at {@code at} (a path start) and ending at a boundary before {@code limit},
     * or null.
     */
    Template match(byte[] src, int at, int limit) {
        for (Template t : templates) {
            byte[] bytes = t.bytes();
            int end = at + bytes.length;
            if (end > limit || !java.util.Arrays.equals(src, at, end, bytes, 0, bytes.length)) {
                continue;
            }
            if (end == limit || !PathChars.isPathChar(src[end])) {
                return t;
            }
        }
        return null;
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
