package dev.sluice.cache.key;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds the canonical form of a tokenized request into the key hash (and, from the newest user text
 * on, into a fork of it: the anchor).
 *
 * <p>The canonical form is a tagged, length-prefixed stream, so no two different requests can write
 * the same bytes: the rule fingerprint and the context parts first; then {@code model},
 * {@code tools}, {@code system}, the other fields sorted by name, and {@code messages} last (so the
 * anchor forks as late as possible); object members sorted by name; strings as their raw JSON bytes
 * (escapes as sent), or, when they hold developer-specific values, as literal parts and placeholders;
 * a string where blocks are allowed as the one-text-block array it stands for; numbers with a
 * fraction or exponent in BigDecimal's shortest form.
 */
final class KeyWriter {
    private static final byte OBJ_START = 0x01;
    private static final byte OBJ_END = 0x02;
    private static final byte ARR_START = 0x03;
    private static final byte ARR_END = 0x04;
    private static final byte NAME = 0x05;
    private static final byte STR = 0x06;
    private static final byte TSTR_START = 0x07;
    private static final byte TSTR_END = 0x08;
    private static final byte NUM = 0x09;
    private static final byte TRUE = 0x0A;
    private static final byte FALSE = 0x0B;
    private static final byte NULL = 0x0C;
    private static final byte NEWEST_MARK = 0x0E;
    private static final byte LIT = 0x10;
    private static final byte PH = 0x11;
    private static final byte TOOL_ID = 0x12;
    private static final byte CONTEXT = 0x7E;
    private static final byte FINGERPRINT = 0x7F;
    private static final byte[] TEXT = "text".getBytes(UTF_8);
    private static final byte[] TYPE = "type".getBytes(UTF_8);

    private final MemberStack members = new MemberStack();
    private int[] sites = new int[24];
    private int siteCount;
    private byte[] scratch = new byte[256];
    private byte[] normal = new byte[256];
    private KeyHash key;
    private KeyHash anchor;
    private boolean keyOnly;
    private JsonTape tape;
    private RequestShape shape;
    private final PathSites pathSites = new PathSites();
    private final Resumption resumption = new Resumption();
    private KeyCheckpoints checkpoints;
    private long partition;
    private PathTemplates paths;
    private KeyRules rules;
    private byte[] src;
    private boolean substituted;

    /** Writes the request; the key goes to {@code keyOut[0..16)}, the anchor (if any) to {@code anchorOut}, returns whether it forked. */
    boolean write(JsonTape tape, RequestShape shape, PathTemplates paths, KeyRules rules, List<String> context,
                  KeyHash hash, byte[] keyOut, byte[] anchorOut) {
        return write(tape, shape, paths, rules, context, hash, keyOut, anchorOut, null, 0);
    }

    /**
     * As above, resuming from and recording into {@code checkpoints} (null: neither), among the checkpoints of
     * {@code partition} only (a tenant's hash: see {@link RequestKeyer#key(byte[], int, KeyRules, List, String)}).
     */
    boolean write(JsonTape tape, RequestShape shape, PathTemplates paths, KeyRules rules, List<String> context,
                  KeyHash hash, byte[] keyOut, byte[] anchorOut, KeyCheckpoints checkpoints, long partition) {
        this.checkpoints = checkpoints;
        this.partition = partition;
        this.tape = tape;
        this.shape = shape;
        this.paths = paths;
        this.rules = rules;
        this.src = tape.source();
        this.key = hash;
        this.anchor = null;
        this.keyOnly = false;
        this.substituted = false;
        members.start(tape, shape);
        tagged(FINGERPRINT, rules.fingerprint(), 0, rules.fingerprint().length);
        for (String part : context) {
            byte[] b = part.getBytes(UTF_8);
            tagged(CONTEXT, b, 0, b.length);
        }
        top();
        key.finish(keyOut, 0);
        boolean forked = anchor != null;
        if (forked) {
            anchor.finish(anchorOut, 0);
        }
        resumption.finish(src);
        this.checkpoints = null;
        this.tape = null;
        this.src = null;
        members.finish();
        return forked;
    }

    /** True when the last request written had developer-specific values replaced. */
    boolean substituted() {
        return substituted;
    }

    private void top() {
        emit(OBJ_START);
        member(shape.model);
        member(shape.tools);
        member(shape.system);
        int base = members.push(0);
        for (int k = base; k < members.top(); k++) {
            int value = members.name(k) + 1;
            if (value != shape.model && value != shape.tools && value != shape.system && value != shape.messages) {
                member(value);
            }
        }
        members.pop(base);
        int messages = shape.messages;
        if (messages >= 0 && tape.kind(messages) == JsonTape.ARRAY && (shape.flags(messages - 1) & RequestShape.SKIP) == 0) {
            messages(messages);
        } else {
            member(messages);
        }
        emit(OBJ_END);
    }

    /**
     * The messages array, as {@link #member} would write it, but it may skip the messages an earlier request shared
     * and continue from the state stored after them ({@link KeyCheckpoints}), and it records its state after each
     * message until the anchor forks. {@link #substituted} is tracked for the messages alone, as it is stored.
     */
    private void messages(int array) {
        name(array - 1);
        emit(ARR_START);
        boolean before = substituted;
        substituted = false;
        int e = array + 1;
        int index = resumption.begin(checkpoints, partition, tape, shape, rules, key, array);
        if (index > 0) {
            key = resumption.resumedState();
            substituted = resumption.resumedSubstituted();
            e = resumption.resumedNext();
        }
        for (int end = tape.next(array); e < end; e = tape.next(e), index++) {
            if ((shape.flags(e) & RequestShape.SKIP) == 0) {
                value(e);
            }
            if (anchor == null) {
                resumption.record(index, tape.end(e), key, substituted);
            }
        }
        emit(ARR_END);
        substituted |= before;
    }

    private void member(int value) {
        if (value < 0 || (shape.flags(value - 1) & RequestShape.SKIP) != 0) {
            return;
        }
        name(value - 1);
        value(value);
    }

    private void name(int name) {
        int s = tape.start(name);
        tagged(NAME, src, s, tape.end(name) - s);
    }

    private void value(int i) {
        switch (tape.kind(i)) {
            case JsonTape.OBJECT -> object(i);
            case JsonTape.ARRAY -> array(i);
            case JsonTape.STRING -> string(i);
            case JsonTape.NUMBER -> number(i);
            case JsonTape.TRUE -> emit(TRUE);
            case JsonTape.FALSE -> emit(FALSE);
            default -> emit(NULL);
        }
    }

    private void object(int i) {
        emit(OBJ_START);
        int base = members.push(i);
        int end = members.top(); // nested objects push their names above this one's, and pop them
        for (int k = base; k < end; k++) {
            int name = members.name(k);
            name(name);
            value(name + 1);
        }
        members.pop(base);
        emit(OBJ_END);
    }

    private void array(int i) {
        emit(ARR_START);
        int end = tape.next(i);
        for (int e = i + 1; e < end; e = tape.next(e)) {
            if ((shape.flags(e) & RequestShape.SKIP) == 0) {
                value(e);
            }
        }
        emit(ARR_END);
    }

    private void string(int i) {
        int f = shape.flags(i);
        if ((f & RequestShape.TOOL_ID) != 0) {
            word((TSTR_START & 0xFF) | (TOOL_ID & 0xFF) << 8, 2);
            varint(shape.ordinal(i));
            emit(TSTR_END);
            substituted = true;
        } else if ((f & RequestShape.AS_BLOCK) != 0) {
            word((ARR_START & 0xFF) | (OBJ_START & 0xFF) << 8, 2);
            tagged(NAME, TEXT, 0, TEXT.length);
            content(i, f);
            tagged(NAME, TYPE, 0, TYPE.length);
            tagged(STR, TEXT, 0, TEXT.length);
            word((OBJ_END & 0xFF) | (ARR_END & 0xFF) << 8, 2);
        } else {
            content(i, f);
        }
    }

    /** A string's content; the newest user text goes to the key only, the anchor gets a marker in its place. */
    private void content(int i, int f) {
        if ((f & RequestShape.NEWEST) != 0) {
            if (anchor == null) {
                anchor = key.copy();
            }
            keyOnly = true;
            text(i, f);
            keyOnly = false;
            anchor.update(NEWEST_MARK);
        } else {
            text(i, f);
        }
    }

    private void text(int i, int f) {
        int s = tape.start(i);
        int e = tape.end(i);
        collectSites(s, e);
        boolean whitespace = (f & RequestShape.TEXT) != 0 && rules.has(KeyRule.TEXT_WHITESPACE);
        boolean loose = (tape.aux(i) & JsonTape.LOOSE_ESCAPES) != 0; // only ever set under KeyRule.JSON_ESCAPES
        if (siteCount == 0 && !whitespace) {
            if (loose) {
                int n = normalized(s, e, true, false, true);
                tagged(STR, normal, 0, n);
            } else {
                tagged(STR, src, s, e - s);
            }
            return;
        }
        emit(TSTR_START);
        int at = s;
        for (int k = 0; k < siteCount; k++) {
            int off = sites[3 * k];
            literal(at, off, loose, whitespace, false);
            word((PH & 0xFF) | (sites[3 * k + 2] & 0xFF) << 8, 2);
            at = off + sites[3 * k + 1];
        }
        literal(at, e, loose, whitespace, true);
        emit(TSTR_END);
        if (siteCount > 0) {
            substituted = true;
        }
    }

    private void literal(int from, int to, boolean loose, boolean whitespace, boolean last) {
        if (!loose && !whitespace) {
            if (to > from) {
                tagged(LIT, src, from, to - from);
            }
            return;
        }
        int n = normalized(from, to, loose, whitespace, last);
        if (n > 0) {
            tagged(LIT, normal, 0, n);
        }
    }

    /** {@code src[from, to)} with minimal escapes and/or normalized whitespace, into {@link #normal}; returns the length. */
    private int normalized(int from, int to, boolean loose, boolean whitespace, boolean last) {
        int len = to - from;
        if (scratch.length < len) {
            scratch = new byte[Math.max(len, scratch.length * 2)];
            normal = new byte[scratch.length];
        }
        byte[] data = src;
        int off = from;
        if (loose) {
            len = EscapeForm.normalize(src, from, to, scratch);
            data = scratch;
            off = 0;
        }
        if (whitespace) {
            return TextWhitespace.normalize(data, off, off + len, last, normal);
        }
        if (data != normal) {
            System.arraycopy(data, off, normal, 0, len);
        }
        return len;
    }

    /** Sites in {@code [s, e)}: the markers' in-place values and every path start that matches a template, in order. */
    private void collectSites(int s, int e) {
        siteCount = 0;
        Markers m = shape.markers();
        for (int k = 0; k < m.siteCount(); k++) {
            int off = m.siteOffset(k);
            if (off >= s && off < e) {
                addSite(off, m.siteLength(k), m.sitePlaceholder(k));
            }
        }
        if (paths.isEmpty()) {
            return;
        }
        pathSites.find(src, s, e, paths);
        int before = siteCount;
        for (int k = 0; k < pathSites.count(); k++) {
            addSite(pathSites.offset(k), pathSites.length(k), pathSites.placeholder(k));
        }
        if (before > 0 && siteCount > before) {
            sortSites();
        }
    }

    private void sortSites() {
        for (int a = 1; a < siteCount; a++) {
            for (int b = a; b > 0 && sites[3 * b] < sites[3 * (b - 1)]; b--) {
                for (int c = 0; c < 3; c++) {
                    int t = sites[3 * b + c];
                    sites[3 * b + c] = sites[3 * (b - 1) + c];
                    sites[3 * (b - 1) + c] = t;
                }
            }
        }
    }

    private void addSite(int offset, int length, int placeholder) {
        if (3 * siteCount + 3 > sites.length) {
            sites = Arrays.copyOf(sites, sites.length * 2);
        }
        sites[3 * siteCount] = offset;
        sites[3 * siteCount + 1] = length;
        sites[3 * siteCount + 2] = placeholder;
        siteCount++;
    }

    private void number(int i) {
        int s = tape.start(i);
        int n = tape.end(i) - s;
        boolean plain = true;
        for (int k = s; k < s + n; k++) {
            byte c = src[k];
            if (c == '.' || c == 'e' || c == 'E') {
                plain = false;
                break;
            }
        }
        if (plain || n > 64) {
            tagged(NUM, src, s, n);
            return;
        }
        try {
            byte[] b = new BigDecimal(new String(src, s, n, java.nio.charset.StandardCharsets.ISO_8859_1))
                    .stripTrailingZeros().toString().getBytes(UTF_8);
            tagged(NUM, b, 0, b.length);
        } catch (NumberFormatException e) {
            tagged(NUM, src, s, n);
        }
    }

    /**
     * A tag, the length as a varint, and the bytes: the tag and the length go to the hash as one small word, the
     * bytes straight from their array, so the hash sees two updates per string or name rather than a byte at a time.
     */
    private void tagged(byte tag, byte[] b, int off, int len) {
        long head = tag & 0xFFL;
        int n = 1;
        int v = len;
        while ((v & ~0x7F) != 0) {
            head |= (long) ((v & 0x7F) | 0x80) << (n << 3);
            n++;
            v >>>= 7;
        }
        head |= (long) v << (n << 3);
        n++;
        key.update(head, n);
        key.update(b, off, len);
        if (!keyOnly && anchor != null) {
            anchor.update(head, n);
            anchor.update(b, off, len);
        }
    }

    /** {@code n} (at most 8) bytes at once, lowest first. */
    private void word(long bytes, int n) {
        key.update(bytes, n);
        if (!keyOnly && anchor != null) {
            anchor.update(bytes, n);
        }
    }

    private void varint(int v) {
        long w = 0;
        int n = 0;
        while ((v & ~0x7F) != 0) {
            w |= (long) ((v & 0x7F) | 0x80) << (n << 3);
            n++;
            v >>>= 7;
        }
        w |= (long) v << (n << 3);
        word(w, n + 1);
    }

    private void emit(byte tag) {
        key.update(tag);
        if (!keyOnly && anchor != null) {
            anchor.update(tag);
        }
    }
}
