package dev.sluice.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a HELP or TYPE
 * comment or a sample {@code name{label="value",...} value}; anything else fails the parse. Samples are
 * keyed as {@code name{k="v",...}} with labels sorted, so tests can look series up by exact key.
 */
final class Exposition {
    private static final Pattern HELP = Pattern.compile("# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)(?: -?\\d+)?");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Double> samples = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> labels = new LinkedHashMap<>();

    static Exposition parse(String text) {
        Exposition e = new Exposition();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty() || HELP.matcher(line).matches() || TYPE.matcher(line).matches()) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + n + " is not a sample: " + line);
            }
            Map<String, String> ls = m.group(2) == null ? Map.of() : labels(m.group(2), line);
            String key = key(m.group(1), ls);
            if (e.samples.put(key, value(m.group(3), line)) != null) {
                throw new IllegalArgumentException("line " + n + " repeats series " + key);
            }
            e.labels.put(key, ls);
        }
        return e;
    }

    static String key(String name, Map<String, String> labels) {
        StringBuilder b = new StringBuilder(name).append('{');
        new TreeMap<>(labels).forEach((k, v) -> b.append(k).append("=\"").append(v).append("\","));
        return b.append('}').toString();
    }

    /** The sample for a series given as name and label pairs; fails when absent. */
    double get(String name, String... labelPairs) {
        Map<String, String> ls = new TreeMap<>();
        for (int i = 0; i < labelPairs.length; i += 2) {
            ls.put(labelPairs[i], labelPairs[i + 1]);
        }
        Double v = samples.get(key(name, ls));
        if (v == null) {
            throw new AssertionError("no series " + key(name, ls) + " among " + names(name));
        }
        return v;
    }

    /** Every sample whose metric name is {@code name}, with its labels. */
    List<Map.Entry<Map<String, String>, Double>> series(String name) {
        List<Map.Entry<Map<String, String>, Double>> out = new ArrayList<>();
        samples.forEach((k, v) -> {
            if (k.startsWith(name + "{")) {
                out.add(Map.entry(labels.get(k), v));
            }
        });
        return out;
    }

    Map<String, Map<String, String>> allLabels() {
        return labels;
    }

    private List<String> names(String prefix) {
        return samples.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
    }

    private static double value(String s, String line) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad value in: " + line, e);
                }
            }
        };
    }

    /** {@code k="v",k2="v2"} with \\, \" and \n escapes in values; a trailing comma is allowed. */
    private static Map<String, String> labels(String s, String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        while (i < s.length()) {
            int eq = s.indexOf('=', i);
            if (eq < 0 || eq + 1 >= s.length() || s.charAt(eq + 1) != '"') {
                throw new IllegalArgumentException("bad labels in: " + line);
            }
            String name = s.substring(i, eq);
            if (!LABEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("bad label name '" + name + "' in: " + line);
            }
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (; j < s.length() && s.charAt(j) != '"'; j++) {
                char c = s.charAt(j);
                if (c == '\\') {
                    char next = s.charAt(++j);
                    v.append(next == 'n' ? '\n' : next);
                } else {
                    v.append(c);
                }
            }
            if (j >= s.length()) {
                throw new IllegalArgumentException("unterminated label value in: " + line);
            }
            if (out.put(name, v.toString()) != null) {
                throw new IllegalArgumentException("repeated label " + name + " in: " + line);
            }
            i = j + 1;
            if (i < s.length()) {
                if (s.charAt(i) != ',') {
                    throw new IllegalArgumentException("expected ',' after label " + name + " in: " + line);
                }
                i++;
            }
        }
        return out;
    }
}
