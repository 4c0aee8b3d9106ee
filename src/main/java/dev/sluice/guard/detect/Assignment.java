package dev.sluice.guard.detect;

/**
 * Reads the value side of an assignment in any of the syntaxes a coding agent sees: {@code NAME=value}
 * (.env, shell), {@code name: value} (YAML), {@code "name": "value"} (JSON), {@code name = "value"}
 * (code, TOML, INI), {@code name := "value"}, {@code name => 'value'}, {@code --name=value}.
 * Comparisons ({@code ==}, {@code !=}, {@code ===}) are not assignments.
 */
public final class Assignment {
    /** Longest value looked at. */
    public static final int MAX_VALUE = 512;

    private Assignment() {
    }

    /**
     * From just after a name, finds the value: returns {@code start | quote << 32}, with {@code quote} the
     * opening quote byte or 0 when unquoted, or -1 when no assignment follows.
     */
    public static long valueAfter(Text t, int at) {
        int n = t.length();
        int i = at;
        if (i < n && (t.at(i) == '"' || t.at(i) == '\'' || t.at(i) == '`')) {
            i++;
        }
        i = skipBlanks(t, i, 8);
        if (i >= n) {
            return -1;
        }
        int c = t.at(i);
        if (c == ':') {
            i++;
            if (i < n && t.at(i) == '=') {
                i++;
            } else if (i < n && t.at(i) == ':') {
                return -1;
            }
        } else if (c == '=') {
            i++;
            if (i < n && (t.at(i) == '=' || t.at(i) == '~')) {
                return -1;
            }
            if (i < n && t.at(i) == '>') {
                i++;
            }
        } else if ((c == '?' || c == '|') && i + 1 < n && t.at(i + 1) == '=') {
            i += 2;
        } else {
            return -1;
        }
        i = skipBlanks(t, i, 16);
        if (i >= n) {
            return -1;
        }
        int q = t.at(i);
        if (q == '"' || q == '\'' || q == '`') {
            return (i + 1) | ((long) q << 32);
        }
        return i;
    }

    /** End of the value starting at {@code start}; for a quoted value -1 when the closing quote is not on the same line. */
    public static int valueEnd(Text t, int start, int quote) {
        int limit = Math.min(t.length(), start + MAX_VALUE);
        int i = start;
        if (quote != 0) {
            while (i < limit) {
                int c = t.at(i);
                if (c == quote) {
                    return i;
                }
                if (c == '\n' || c == '\r') {
                    return -1;
                }
                i++;
            }
            return -1;
        }
        while (i < limit) {
            int c = t.at(i);
            if (Chars.space(c) || c == ',' || c == ';' || c == ')' || c == '}' || c == ']' || c == '"' || c == '\'' || c == '`'
                    || c == '(' || c == '[' || c == '>' || c == '&') {
                break;
            }
            i++;
        }
        return i;
    }

    private static int skipBlanks(Text t, int i, int max) {
        int limit = Math.min(t.length(), i + max);
        while (i < limit && (t.at(i) == ' ' || t.at(i) == '\t')) {
            i++;
        }
        return i;
    }
}
