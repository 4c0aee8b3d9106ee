package dev.sluice.pipeline;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A request body as the client sent it, plus the edits stages make to it: a model rename, a
 * redaction, a degrade, a cache TTL upgrade, a provider's body adaptation.
 *
 * <p>Every edit names a byte range of the <em>original</em> body, so offsets found by the one
 * inspection pass stay valid whatever other stages did before. Edits are kept in order and must
 * not overlap: two stages rewriting the same bytes is a bug, and it fails loudly here instead of
 * silently losing one of the edits. The edited bytes are built once, on first use after the last
 * edit ({@link #bytes()}), and an unedited body is sent as the original buffer itself, without a copy.
 *
 * <p>{@link #fork()} gives an attempt its own copy of the edit list (the original bytes are shared),
 * so a provider's adaptation of one attempt never leaks into the next attempt to another provider.
 * Confined to the exchange's event loop.
 */
public final class RequestBody {
    private final byte[] array;
    private final int length;
    private final List<Edit> edits;
    private Buffer original;
    private Buffer applied;

    private RequestBody(byte[] array, int length, List<Edit> edits) {
        this.array = array;
        this.length = length;
        this.edits = edits;
    }

    /** Wraps the first {@code length} bytes of {@code array} without copying; the caller hands the array over. */
    public static RequestBody wrap(byte[] array, int length) {
        Objects.checkFromIndexSize(0, length, array.length);
        return new RequestBody(array, length, new ArrayList<>(2));
    }

    public static RequestBody of(byte[] bytes) {
        return wrap(bytes, bytes.length);
    }

    public static RequestBody of(String json) {
        return of(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The original bytes, for parsers: valid from index 0 to {@link #length()}. Never write to it. */
    public byte[] array() {
        return array;
    }

    /** Length of the original body. */
    public int length() {
        return length;
    }

    /** The body exactly as the client sent it (for audit and for the ledger's view of what was asked). */
    public Buffer original() {
        if (original == null) {
            original = BufferInternal.buffer(Unpooled.wrappedBuffer(array, 0, length));
        }
        return original;
    }

    /**
     * Replaces {@code [start, end)} of the original body with {@code bytes}; {@code start == end}
     * inserts. Inserts at the same offset keep the order they were made in.
     *
     * @throws IllegalStateException when the range overlaps an earlier edit
     */
    public void replace(int start, int end, byte[] bytes, String reason) {
        Objects.checkFromToIndex(start, end, length);
        Objects.requireNonNull(bytes, "bytes");
        Edit edit = new Edit(start, end, bytes.clone(), reason);
        int at = 0;
        while (at < edits.size()) {
            Edit e = edits.get(at);
            // Sorted by start; an insert goes before a replacement that starts at the same offset, after earlier inserts there.
            if (e.start() > start || (e.start() == start && end == start && e.end() > e.start())) {
                break;
            }
            at++;
        }
        Edit before = at > 0 ? edits.get(at - 1) : null;
        Edit after = at < edits.size() ? edits.get(at) : null;
        if ((before != null && overlaps(before, edit)) || (after != null && overlaps(edit, after))) {
            Edit other = before != null && overlaps(before, edit) ? before : after;
            throw new IllegalStateException("body edit '" + reason + "' at [" + start + ", " + end + ") overlaps edit '"
                    + other.reason() + "' at [" + other.start() + ", " + other.end() + ") (expected: edits to distinct bytes)");
        }
        edits.add(at, edit);
        applied = null;
    }

    public void insert(int at, byte[] bytes, String reason) {
        replace(at, at, bytes, reason);
    }

    public void delete(int start, int end, String reason) {
        replace(start, end, new byte[0], reason);
    }

    /** a comes before b in the list; they clash when they share a byte, or an insert falls strictly inside a replacement. */
    private static boolean overlaps(Edit a, Edit b) {
        if (a.start() == a.end() || b.start() == b.end()) {
            Edit insert = a.start() == a.end() ? a : b;
            Edit other = insert == a ? b : a;
            return other.start() < insert.start() && insert.start() < other.end();
        }
        return b.start() < a.end();
    }

    public boolean edited() {
        return !edits.isEmpty();
    }

    public List<Edit> edits() {
        return List.copyOf(edits);
    }

    /**
     * The body to send: the original when unedited, else the edits applied (built once per set of edits). One array,
     * not a composite of slices of the original: the socket write copies a heap body into a direct buffer, and for a
     * composite Netty first merges the slices into a new heap buffer, so a composite saved no copy (measured) and
     * cost every adapter that parses the edited body a copy of its own.
     */
    public Buffer bytes() {
        if (edits.isEmpty()) {
            return original();
        }
        if (applied == null) {
            applied = BufferInternal.buffer(Unpooled.wrappedBuffer(apply()));
        }
        return applied;
    }

    /** Size of the body as it will be sent. */
    public int editedLength() {
        int n = length;
        for (Edit e : edits) {
            n += e.bytes().length - (e.end() - e.start());
        }
        return n;
    }

    private byte[] apply() {
        byte[] out = new byte[editedLength()];
        int from = 0;
        int to = 0;
        for (Edit e : edits) {
            System.arraycopy(array, from, out, to, e.start() - from);
            to += e.start() - from;
            System.arraycopy(e.bytes(), 0, out, to, e.bytes().length);
            to += e.bytes().length;
            from = e.end();
        }
        System.arraycopy(array, from, out, to, length - from);
        return out;
    }

    /** The same original and the same edits so far, with an edit list of its own. */
    public RequestBody fork() {
        return new RequestBody(array, length, new ArrayList<>(edits));
    }

    @Override
    public String toString() {
        return "RequestBody[" + length + " bytes, " + edits.size() + " edit(s)]";
    }

    /**
     * One edit: the original bytes {@code [start, end)} become {@code bytes}.
     *
     * @param reason what made it, for conflict messages and the audit ("route: model", "guard: aws-secret")
     */
    public record Edit(int start, int end, byte[] bytes, String reason) {
        @Override
        public String toString() {
            return "Edit[" + start + ", " + end + ") -> " + bytes.length + " bytes (" + reason + ")";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Edit e && e.start == start && e.end == end && Arrays.equals(e.bytes, bytes)
                    && Objects.equals(e.reason, reason);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * start + end) + Arrays.hashCode(bytes);
        }
    }
}
