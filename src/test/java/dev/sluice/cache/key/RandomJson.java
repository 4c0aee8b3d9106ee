package dev.sluice.cache.key;

import java.util.Random;

/** Random JSON documents that stress strings: escapes, slashes, quotes at word boundaries, non-ASCII. */
final class RandomJson {
    private static final String[] PIECES = {"a", "/", "\\\"", "\\\\", "\\n", "\\/", "\\u00e9", "é", "日本", "x/y", " /home/u",
            "\\t/opt", "abcdefgh", "12345678", "\"", "\\u0022", "'"};

    private RandomJson() {
    }

    static String document(Random r) {
        StringBuilder sb = new StringBuilder();
        value(r, sb, 0);
        return sb.toString();
    }

    private static void value(Random r, StringBuilder sb, int depth) {
        int pick = depth > 4 ? 3 + r.nextInt(4) : r.nextInt(7);
        switch (pick) {
            case 0, 1 -> {
                sb.append('{').append(ws(r));
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',').append(ws(r));
                    }
                    string(r, sb);
                    sb.append(ws(r)).append(':').append(ws(r));
                    value(r, sb, depth + 1);
                }
                sb.append(ws(r)).append('}');
            }
            case 2 -> {
                sb.append('[');
                int n = r.nextInt(5);
                for (int i = 0; i < n; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    sb.append(ws(r));
                    value(r, sb, depth + 1);
                }
                sb.append(']');
            }
            case 3, 4 -> string(r, sb);
            case 5 -> sb.append(new String[] {"0", "-1.5", "1e3", "12345678901234567890", "3.25E-2"}[r.nextInt(5)]);
            default -> sb.append(new String[] {"true", "false", "null"}[r.nextInt(3)]);
        }
    }

    private static void string(Random r, StringBuilder sb) {
        sb.append('"');
        int n = r.nextInt(12);
        for (int i = 0; i < n; i++) {
            String p = PIECES[r.nextInt(PIECES.length)];
            sb.append(p.equals("\"") ? "\\\"" : p);
        }
        sb.append('"');
    }

    private static String ws(Random r) {
        return r.nextInt(4) == 0 ? " \n\t" : "";
    }
}
