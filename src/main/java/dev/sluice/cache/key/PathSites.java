package dev.sluice.cache.key;

import java.util.Arrays;

/**
 * Where the developer's paths stand in one string: every place one of the {@link PathTemplates}
 * matches at a path start, as sorted (offset, length, placeholder) triples. Found by searching for
 * the templates' first two bytes ({@code "/h"} of {@code /home/alice}), which code and prose rarely
 * contain, right before the key writer hashes the string, while its bytes are still in cache.
 */
final class PathSites {
    private int[] sites = new int[48];
    private int count;

    int count() {
        return count;
    }

    int offset(int n) {
        return sites[3 * n];
    }

    int length(int n) {
        return sites[3 * n + 1];
    }

    int placeholder(int n) {
        return sites[3 * n + 2];
    }

    /** Finds every site in {@code src[from, to)} (one string's raw bytes: its start counts as a path start). */
    void find(byte[] src, int from, int to, PathTemplates templates) {
        count = 0;
        if (templates.isEmpty()) {
            return;
        }
        for (byte[] prefix : templates.prefixes()) {
            int before = count;
            int covered = -1;
            for (int at = ByteSearch.indexOf(src, from, to, prefix, 0); at >= 0; at = ByteSearch.indexOf(src, at + 1, to, prefix, 0)) {
                if (at >= covered && (at == from || startsPath(src, at))) {
                    covered = addMatch(src, at, to, templates, covered);
                }
            }
            if (before > 0 && count > before) {
                sort();
            }
        }
    }

    /** Adds the sites of the template matching at {@code at}, if any; returns where the next match may start. */
    private int addMatch(byte[] src, int at, int to, PathTemplates templates, int covered) {
        PathTemplates.Template t = templates.match(src, at, to);
        if (t == null) {
            return covered;
        }
        for (int part = 0; part < t.parts().length; part++) {
            add(at + t.partOffsets()[part], t.partLengths()[part], t.parts()[part].id());
        }
        return at + t.bytes().length;
    }

    /**
     * A slash starts a path unless a name character or a slash comes right before it ({@code a/b},
     * {@code ~/x}, {@code //}); an escaped newline, tab or CR before it counts as a separator.
     */
    static boolean startsPath(byte[] src, int slash) {
        if (slash == 0) {
            return true;
        }
        byte before = src[slash - 1];
        if ((before == 'n' || before == 't' || before == 'r') && slash >= 2 && src[slash - 2] == '\\') {
            return true;
        }
        return !PathChars.isPathChar(before) && before != '/';
    }

    private void add(int offset, int length, int placeholder) {
        if (3 * count + 3 > sites.length) {
            sites = Arrays.copyOf(sites, sites.length * 2);
        }
        sites[3 * count] = offset;
        sites[3 * count + 1] = length;
        sites[3 * count + 2] = placeholder;
        count++;
    }

    private void sort() {
        long[] packed = new long[count];
        for (int k = 0; k < count; k++) {
            packed[k] = ((long) sites[3 * k] << 32) | k;
        }
        Arrays.sort(packed);
        int[] copy = Arrays.copyOf(sites, 3 * count);
        for (int k = 0; k < count; k++) {
            int from = (int) packed[k];
            System.arraycopy(copy, 3 * from, sites, 3 * k, 3);
        }
    }

    void trim(int max) {
        if (sites.length > max) {
            sites = new int[48];
        }
    }
}
