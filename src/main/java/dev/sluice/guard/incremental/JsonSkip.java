package dev.sluice.guard.incremental;

import dev.sluice.guard.MalformedBodyException;
import dev.sluice.wire.Json;

/** Skips over JSON values by structure alone (no decoding), to find where a member or message ends. */
public final class JsonSkip {
    private JsonSkip() {
    }

    public static int space(byte[] b, int i, int end) {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The offset of the closing quote of a string whose content starts at {@code i} (eight bytes at a time). */
    public static int stringEnd(byte[] b, int i, int end) {
        return dev.sluice.guard.engine.JsonStrings.skip(b, i, end);
    }

    /** The offset just after the value starting at {@code i}. */
    public static int valueEnd(byte[] b, int i, int end) {
        if (i >= end) {
            throw new MalformedBodyException("expected a value", i);
        }
        byte c = b[i];
        if (c == '"') {
            return stringEnd(b, i + 1, end) + 1;
        }
        if (c != '{' && c != '[') {
            int j = i;
            while (j < end && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\r' && b[j] != '\t') {
                j++;
            }
            return j;
        }
        int depth = 0;
        while (i < end) {
            c = b[i];
            if (c == '"') {
                i = stringEnd(b, i + 1, end) + 1;
                continue;
            }
            if (c == '{' || c == '[') {
                if (++depth > Json.MAX_DEPTH) {
                    throw new MalformedBodyException("nested deeper than " + Json.MAX_DEPTH, i);
                }
            } else if (c == '}' || c == ']') {
                if (--depth == 0) {
                    return i + 1;
                }
            }
            i++;
        }
        throw new MalformedBodyException("unterminated " + (b[i - 1] == ']' ? "array" : "object"), end);
    }
}
