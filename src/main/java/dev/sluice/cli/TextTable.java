package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;

/** Plain text tables: columns padded to their widest cell, or one line saying there is nothing. */
public final class TextTable {
    private TextTable() {
    }

    public static void print(PrintWriter out, String what, List<String> header, List<List<String>> rows) {
        if (rows.isEmpty()) {
            out.println("(no " + what + ")");
            out.flush();
            return;
        }
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println(line(header, width));
        rows.forEach(r -> out.println(line(r, width)));
        out.flush();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            s.append(i == 0 ? "" : "  ").append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length()));
        }
        return s.toString().stripTrailing();
    }
}
