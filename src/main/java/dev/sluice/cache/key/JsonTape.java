package dev.sluice.cache.key;

import dev.sluice.wire.Json;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One tokenizing pass over a JSON body into a flat tape of entries (containers, member names and
 * scalars with their byte ranges), without decoding or copying a single string.
 *
 * <p>Why not Jackson here: Jackson (the gateway's one parser, which has already validated this body
 * in the inspect stage) scans strings a byte at a time; on a 700 KB Claude Code body that is about
 * 0.65 ms, most of a cache hit's budget. Strings are almost all of a request's bytes, so this tape
 * finds their ends a SIMD register at a time ({@link VectorQuotes}, when the vector module is present)
 * or eight bytes at a time (SWAR: a quote in a 64-bit word is found with a few masks), and only
 * quotes stop it.
 *
 * <p>It is lenient where leniency cannot change a key (control characters and escape contents are not
 * validated: every byte is hashed as sent) and strict where it could (structure, literals, nesting
 * depth, trailing bytes). A body it cannot read is simply not cacheable; it never throws for bad input.
 * Reused per thread: call {@link #parse} again for the next body.
 */
public final class JsonTape {
    public static final byte OBJECT = 1;
    public static final byte ARRAY = 2;
    public static final byte NAME = 3;
    public static final byte STRING = 4;
    public static final byte NUMBER = 5;
    public static final byte TRUE = 6;
    public static final byte FALSE = 7;
    public static final byte NULL = 8;

    /** Flag on a string: it has an escape JSON does not need (<code>\/</code>, or <code>&#92;u</code>), set only when {@link #parse(byte[], int, int, boolean)} is asked to look. */
    public static final int LOOSE_ESCAPES = 2;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;
    private static final long QUOTES = '"' * ONES;
    /** SIMD quote search when the vector module is present ({@link VectorQuotes}); 0 keeps the SWAR scan alone. */
    private static final int VECTOR_WIDTH = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            ? VectorQuotes.WIDTH : 0;

    private byte[] kind = new byte[1024];
    private int[] start = new int[1024];
    private int[] end = new int[1024];
    private int[] next = new int[1024];
    private int[] aux = new int[1024];
    private int size;
    private byte[] src;
    private int limit;
    private boolean looseEscapes;
    private String error;

    /** Tokenizes {@code src[off, off+len)}; false (with {@link #error()}) when it is not one JSON value. */
    public boolean parse(byte[] src, int off, int len) {
        return parse(src, off, len, false);
    }

    /** As {@link #parse(byte[], int, int)}; with {@code looseEscapes}, strings are also checked for {@link #LOOSE_ESCAPES}. */
    public boolean parse(byte[] src, int off, int len, boolean looseEscapes) {
        this.src = src;
        this.looseEscapes = looseEscapes;
        this.limit = off + len;
        this.size = 0;
        this.error = null;
        int p = value(skip(off), 0);
        if (p < 0) {
            return false;
        }
        if (skip(p) != limit) {
            return fail("unexpected bytes after the JSON value at byte " + skip(p));
        }
        return true;
    }

    public String error() {
        return error;
    }

    public byte[] source() {
        return src;
    }

    public int size() {
        return size;
    }

    public byte kind(int i) {
        return kind[i];
    }

    /** First byte of the entry: the bracket of a container, the first content byte of a string or name. */
    public int start(int i) {
        return start[i];
    }

    /** End (exclusive) of the entry: past the closing bracket, or the closing quote's offset for strings and names. */
    public int end(int i) {
        return end[i];
    }

    /** Index of the entry after this one and everything inside it. */
    public int next(int i) {
        return next[i];
    }

    /** Member or element count of a container; {@link #LOOSE_ESCAPES} flag of a string. */
    public int aux(int i) {
        return aux[i];
    }

    /** True when the raw bytes of string or name {@code i} equal the ASCII {@code text}. */
    public boolean textEquals(int i, String text) {
        int s = start[i];
        int n = end[i] - s;
        if (n != text.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (src[s + k] != text.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** True when the raw bytes of string {@code i} begin with the ASCII {@code prefix}. */
    public boolean textStartsWith(int i, String prefix) {
        int s = start[i];
        if (end[i] - s < prefix.length()) {
            return false;
        }
        for (int k = 0; k < prefix.length(); k++) {
            if (src[s + k] != prefix.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private int value(int p, int depth) {
        if (p >= limit) {
            return failAt("unexpected end of body", p);
        }
        return switch (src[p]) {
            case '{' -> object(p, depth + 1);
            case '[' -> array(p, depth + 1);
            case '"' -> string(p, STRING);
            case 't' -> literal(p, "true", TRUE);
            case 'f' -> literal(p, "false", FALSE);
            case 'n' -> literal(p, "null", NULL);
            default -> number(p);
        };
    }

    private int object(int p, int depth) {
        if (depth > Json.MAX_DEPTH) {
            return failAt("nesting deeper than " + Json.MAX_DEPTH, p);
        }
        int self = add(OBJECT, p);
        int count = 0;
        p = skip(p + 1);
        if (p < limit && src[p] == '}') {
            return close(self, p + 1, count);
        }
        while (true) {
            if (p >= limit || src[p] != '"') {
                return failAt("expected a member name", p);
            }
            p = string(p, NAME);
            if (p < 0) {
                return -1;
            }
            p = skip(p);
            if (p >= limit || src[p] != ':') {
                return failAt("expected ':'", p);
            }
            p = value(skip(p + 1), depth);
            if (p < 0) {
                return -1;
            }
            count++;
            p = skip(p);
            if (p < limit && src[p] == ',') {
                p = skip(p + 1);
            } else if (p < limit && src[p] == '}') {
                return close(self, p + 1, count);
            } else {
                return failAt("expected ',' or '}'", p);
            }
        }
    }

    private int array(int p, int depth) {
        if (depth > Json.MAX_DEPTH) {
            return failAt("nesting deeper than " + Json.MAX_DEPTH, p);
        }
        int self = add(ARRAY, p);
        int count = 0;
        p = skip(p + 1);
        if (p < limit && src[p] == ']') {
            return close(self, p + 1, count);
        }
        while (true) {
            p = value(p, depth);
            if (p < 0) {
                return -1;
            }
            count++;
            p = skip(p);
            if (p < limit && src[p] == ',') {
                p = skip(p + 1);
            } else if (p < limit && src[p] == ']') {
                return close(self, p + 1, count);
            } else {
                return failAt("expected ',' or ']'", p);
            }
        }
    }

    private int close(int self, int after, int count) {
        end[self] = after;
        next[self] = size;
        aux[self] = count;
        return after;
    }

    /**
     * A string or name starting at the quote {@code p}; returns the offset past the closing quote.
     *
     * <p>Eight bytes at a time it looks only for quotes, so the frequent escapes of code and prose
     * (newlines, tabs, escaped quotes) never stop it: a quote ends the string unless an odd run of
     * backslashes precedes it.
     */
    private int string(int p, byte type) {
        int contentStart = p + 1;
        p = contentStart;
        int width = VECTOR_WIDTH;
        if (width > 0) { // tool results and file contents are tens of kilobytes between quotes: a register at a time
            while (p + width <= limit) {
                long quotes = VectorQuotes.quotes(src, p);
                while (quotes != 0) {
                    int at = p + Long.numberOfTrailingZeros(quotes);
                    if (!escaped(at, contentStart)) {
                        return endString(type, contentStart, at);
                    }
                    quotes &= quotes - 1;
                }
                p += width;
            }
        }
        while (p + 8 <= limit) {
            long quotes = zeroBytes((long) LONG.get(src, p) ^ QUOTES);
            while (quotes != 0) {
                int at = p + (Long.numberOfTrailingZeros(quotes) >>> 3);
                if (!escaped(at, contentStart)) {
                    return endString(type, contentStart, at);
                }
                quotes &= quotes - 1;
            }
            p += 8;
        }
        for (; p < limit; p++) {
            if (src[p] == '"' && !escaped(p, contentStart)) {
                return endString(type, contentStart, p);
            }
        }
        return failAt("unterminated string", contentStart - 1);
    }

    private int endString(byte type, int contentStart, int quote) {
        int self = add(type, contentStart);
        end[self] = quote;
        if (looseEscapes && type == STRING && hasLooseEscape(contentStart, quote)) {
            aux[self] = LOOSE_ESCAPES;
        }
        return quote + 1;
    }

    /** A backslash (not itself escaped) followed by {@code u} or {@code /}: only looked for when the rule asks. */
    private boolean hasLooseEscape(int from, int to) {
        for (int p = from; p < to - 1; p++) {
            if (src[p] == '\\') {
                byte next = src[p + 1];
                if (next == 'u' || next == '/') {
                    return true;
                }
                p++; // skip the escaped character, so an escaped backslash is not read as an escape
            }
        }
        return false;
    }

    /** An odd run of backslashes before {@code at} (within the string) escapes it. */
    private boolean escaped(int at, int contentStart) {
        int k = at - 1;
        while (k >= contentStart && src[k] == '\\') {
            k--;
        }
        return ((at - 1 - k) & 1) == 1;
    }

    /** 0x80 in every byte of {@code x} that is zero, and nothing else (exact, unlike the shorter trick). */
    static long zeroBytes(long x) {
        long y = (x & LOWS) + LOWS;
        return ~(y | x | LOWS);
    }

    private int literal(int p, String text, byte type) {
        if (p + text.length() > limit) {
            return failAt("bad literal", p);
        }
        for (int k = 0; k < text.length(); k++) {
            if (src[p + k] != text.charAt(k)) {
                return failAt("bad literal", p);
            }
        }
        int self = add(type, p);
        end[self] = p + text.length();
        return p + text.length();
    }

    private int number(int p) {
        int q = p;
        while (q < limit) {
            byte c = src[q];
            if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
                q++;
            } else {
                break;
            }
        }
        if (q == p || !(src[q - 1] >= '0' && src[q - 1] <= '9')) {
            return failAt("unexpected character", p);
        }
        int self = add(NUMBER, p);
        end[self] = q;
        return q;
    }

    private int skip(int p) {
        while (p < limit) {
            byte c = src[p];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                break;
            }
            p++;
        }
        return p;
    }

    private int add(byte type, int at) {
        if (size == kind.length) {
            int n = size * 2;
            kind = Arrays.copyOf(kind, n);
            start = Arrays.copyOf(start, n);
            end = Arrays.copyOf(end, n);
            next = Arrays.copyOf(next, n);
            aux = Arrays.copyOf(aux, n);
        }
        int i = size++;
        kind[i] = type;
        start[i] = at;
        end[i] = at;
        next[i] = size;
        aux[i] = 0;
        return i;
    }

    private int failAt(String message, int at) {
        fail(message + " at byte " + at);
        return -1;
    }

    private boolean fail(String message) {
        if (error == null) {
            error = message;
        }
        return false;
    }

    /** Drops arrays grown past {@code maxEntries} so one huge body does not pin memory in a thread forever. */
    public void trim(int maxEntries) {
        if (kind.length > maxEntries) {
            kind = new byte[1024];
            start = new int[1024];
            end = new int[1024];
            next = new int[1024];
            aux = new int[1024];
        }
        src = null;
    }
}
