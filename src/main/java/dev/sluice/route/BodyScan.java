package dev.sluice.route;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.sluice.pipeline.RequestFacts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Cheap byte-level looks at a request body for routing, using the top-level field spans the one
 * inspection pass already found: no parsing, no allocation beyond a checksum.
 */
final class BodyScan {
    /** How much of the conversation's start identifies it, when no session id does. */
    static final int FIRST_MESSAGE_BYTES = 4096;
    private static final byte[] IMAGE = "\"image\"".getBytes(US_ASCII);
    private static final byte[] TYPE = "\"type\"".getBytes(US_ASCII);
    private static final boolean VECTOR = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = ONES * '"';
    private static final byte[] DISABLED = "\"disabled\"".getBytes(US_ASCII);

    private BodyScan() {
    }

    /** True when {@code tools} is a non-empty array. */
    static boolean hasTools(byte[] a, RequestFacts.Field f) {
        if (f == null || a[f.valueStart()] != '[') {
            return false;
        }
        int i = skipSpace(a, f.valueStart() + 1, f.valueEnd());
        return i < f.valueEnd() && a[i] != ']';
    }

    /** True when {@code thinking} is an object that does not say {@code "disabled"}. */
    static boolean thinkingOn(byte[] a, RequestFacts.Field f) {
        if (f == null || a[f.valueStart()] != '{') {
            return false;
        }
        return indexOf(a, DISABLED, f.valueStart(), f.valueEnd()) < 0;
    }

    /**
     * True when some content block in {@code messages} has {@code "type": "image"}: the string
     * {@code "image"} (not escaped inside another string) preceded by a colon and the key {@code "type"}.
     */
    static boolean hasImage(byte[] a, RequestFacts.Field f) {
        if (f == null) {
            return false;
        }
        int end = f.valueEnd() - IMAGE.length;
        for (int at = nextQuote(a, f.valueStart(), end); at <= end; at = nextQuote(a, at + 1, end)) {
            if (a[at + 1] == 'i' && Arrays.equals(a, at, at + IMAGE.length, IMAGE, 0, IMAGE.length)
                    && a[at - 1] != '\\' && isTypeValue(a, at, f.valueStart())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The offset of the next {@code "} in {@code [from, to]}, or {@code to + 1}: a SIMD register a step
     * when the vector API is there, else eight bytes (quotes are sparse in the long text of a
     * conversation, so most steps find none).
     */
    static int nextQuote(byte[] a, int from, int to) {
        int i = VECTOR ? VectorQuoteScan.skip(a, from, to + 1) : from;
        while (i + 8 <= to + 1) {
            long x = (long) LONGS.get(a, i) ^ QUOTES;
            long zero = (x - ONES) & ~x & HIGHS;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
            i += 8;
        }
        while (i <= to && a[i] != '"') {
            i++;
        }
        return i;
    }

    /**
     * A checksum of what stays the same across a conversation's turns: the system prompt, the tools
     * and the start of the first message. Two conversations that share all three share their prompt
     * cache too, so landing them together is right.
     */
    static long prefixHash(byte[] a, RequestFacts facts) {
        RequestFacts.Field system = facts.field("system");
        RequestFacts.Field tools = facts.field("tools");
        RequestFacts.Field messages = facts.field("messages");
        if (messages == null) {
            return 0;
        }
        CRC32C head = new CRC32C();
        if (system != null) {
            head.update(a, system.valueStart(), system.valueEnd() - system.valueStart());
        }
        if (tools != null) {
            head.update(a, tools.valueStart(), tools.valueEnd() - tools.valueStart());
        }
        int start = messages.valueStart();
        int end = firstElementEnd(a, start, Math.min(messages.valueEnd(), start + FIRST_MESSAGE_BYTES));
        CRC32C first = new CRC32C();
        first.update(a, start, end - start);
        return head.getValue() << 32 | first.getValue();
    }

    /**
     * Where the first element of the array at {@code start} ends (just after it), looking no further than
     * {@code limit}: bracket depth counted outside strings, escapes skipped. The body is valid JSON
     * (the inspection pass checked it), so this needs no error handling beyond the limit.
     */
    static int firstElementEnd(byte[] a, int start, int limit) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < limit; i++) {
            byte b = a[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '[' || b == '{') {
                depth++;
            } else if (b == ']' || b == '}') {
                depth--;
                if (depth == 1) {
                    return i + 1;
                }
            } else if (b == ',' && depth == 1) {
                return i;
            }
        }
        return limit;
    }

    private static boolean isTypeValue(byte[] a, int at, int floor) {
        int i = at - 1;
        while (i >= floor && isSpace(a[i])) {
            i--;
        }
        if (i < floor || a[i] != ':') {
            return false;
        }
        i--;
        while (i >= floor && isSpace(a[i])) {
            i--;
        }
        int start = i - TYPE.length + 1;
        return start >= floor && Arrays.equals(a, start, i + 1, TYPE, 0, TYPE.length);
    }

    static int indexOf(byte[] a, byte[] what, int from, int to) {
        byte first = what[0];
        for (int i = from, last = to - what.length; i <= last; i++) {
            if (a[i] == first && Arrays.equals(a, i, i + what.length, what, 0, what.length)) {
                return i;
            }
        }
        return -1;
    }

    private static int skipSpace(byte[] a, int i, int end) {
        while (i < end && isSpace(a[i])) {
            i++;
        }
        return i;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }
}
