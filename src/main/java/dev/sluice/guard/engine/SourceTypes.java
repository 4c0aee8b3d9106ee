package dev.sluice.guard.engine;

import dev.sluice.guard.detect.Escapes;

/**
 * What a document or image {@code source} object's {@code type} says about its {@code data}: read as text (a
 * plain-text document, which the model reads as it is) or skipped as opaque (base64 of an image or PDF). Read from
 * the raw bytes, as the walker has them, and erring towards text: a type the bytes cannot settle without decoding
 * ({@code "te\u0078t"}, which the upstream decodes to {@code text}) is text, and data is opaque only when no
 * {@code type} member of its object, before it or after it, could be text (an upstream's JSON parser may keep
 * either of two {@code type} members: attack round 39 forwarded a token as {@code "te\u0078t"} data, and as data
 * written before its {@code type}). The {@code media_type} is read the same way, before or after the data, escapes
 * decoded: base64 data of a text media type is a text file the model reads decoded (attack round 41 forwarded one whose
 * {@code type} came after its data).
 */
final class SourceTypes {
    static final byte UNSEEN = 0;
    static final byte OPAQUE = 1;
    static final byte TEXT = 2;

    private SourceTypes() {
    }

    /** The kind of a {@code type} value whose raw bytes (inside the quotes) are {@code b[from, to)}. */
    static byte of(byte[] b, int from, int to) {
        if (to - from == 4 && b[from] == 't' && b[from + 1] == 'e' && b[from + 2] == 'x' && b[from + 3] == 't') {
            return TEXT;
        }
        return escaped(b, from, to) ? TEXT : OPAQUE;
    }

    /**
     * True when a {@code media_type} value's raw bytes {@code b[from, to)} name text a file may hold credentials in:
     * {@code text/*}, JSON, YAML, XML, TOML, a shell script. Images, PDFs and {@code application/octet-stream} are not.
     */
    static boolean textMedia(byte[] b, int from, int to) {
        String m = (escaped(b, from, to) ? unescaped(b, from, to) : new String(b, from, Math.min(to - from, 64),
                java.nio.charset.StandardCharsets.ISO_8859_1)).toLowerCase(java.util.Locale.ROOT);
        return m.startsWith("text/") || m.equals("application/json") || m.endsWith("+json") || m.contains("yaml")
                || m.equals("application/xml") || m.equals("application/toml") || m.equals("application/x-sh");
    }

    /**
     * The first 64 characters of a value written with escapes ({@code "text\/plain"}, {@code "text\u002Fplain"}), as
     * the upstream's parser reads them: a media type is short, and a longer value names nothing this class looks for.
     */
    private static String unescaped(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder(16);
        int i = from;
        while (i < to && s.length() < 64) {
            if (b[i] != '\\') {
                s.append((char) (b[i++] & 0xff));
                continue;
            }
            long e = Escapes.decode(b, i, to);
            // A multi-byte character decodes to its UTF-8 bytes: none is in a media type this class names.
            for (int k = 0; k < Escapes.count(e); k++) {
                s.append((char) Escapes.byteAt(e, k));
            }
            i += Escapes.rawLength(e);
        }
        return s.toString();
    }

    /**
     * True when a {@code media_type} member after a value, reading on from {@code p} (just past the value's closing
     * quote) to the end of its object, could name text ({@link #textMedia}): keys come in any order, and a key may
     * come twice (an upstream's parser may keep either). What cannot be read cheaply (an escaped key, a member that is
     * not a string) counts as text: the caller then only reads the data once more, decoded.
     */
    static boolean textMediaAhead(byte[] b, int p, int end) {
        while (true) {
            p = space(b, p, end);
            if (p < end && b[p] == '}') {
                return false;
            }
            if (p >= end || b[p] != ',') {
                return true;
            }
            p = space(b, p + 1, end);
            if (p >= end || b[p] != '"') {
                return true;
            }
            int keyClose = JsonStrings.skip(b, p + 1, end);
            if (escaped(b, p + 1, keyClose)) {
                return true;
            }
            boolean media = keyClose - p - 1 == 10 && java.util.Arrays.equals(b, p + 1, keyClose, MEDIA_TYPE, 0, 10);
            p = space(b, keyClose + 1, end);
            if (p >= end || b[p] != ':') {
                return true;
            }
            p = space(b, p + 1, end);
            if (p >= end || b[p] != '"') {
                return true;
            }
            int valueClose = JsonStrings.skip(b, p + 1, end);
            if (media && textMedia(b, p + 1, valueClose)) {
                return true;
            }
            p = valueClose + 1;
        }
    }

    private static final byte[] MEDIA_TYPE = "media_type".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** True when the raw string bytes {@code b[from, to)} hold an escape: what they say is known only decoded. */
    static boolean escaped(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * Two kinds joined (one seen before the data, one after it, or two {@code type} members): once any could be text,
     * the data is read as text; else once any says base64, it is base64.
     */
    static byte join(byte a, byte b) {
        return a == TEXT || b == TEXT ? TEXT : a == OPAQUE || b == OPAQUE ? OPAQUE : UNSEEN;
    }

    /**
     * The kind the {@code type} members after a value say, reading on from {@code p} (just past the value's closing
     * quote) to the end of its object: {@link #UNSEEN} when none follows, {@link #TEXT} when one could be text or when
     * a member is anything but an unescaped string key with a string value (what cannot be read cheaply is read as text).
     */
    static byte ahead(byte[] b, int p, int end) {
        byte kind = UNSEEN;
        while (true) {
            p = space(b, p, end);
            if (p < end && b[p] == '}') {
                return kind;
            }
            if (p >= end || b[p] != ',') {
                return TEXT;
            }
            p = space(b, p + 1, end);
            if (p >= end || b[p] != '"') {
                return TEXT;
            }
            int keyClose = JsonStrings.skip(b, p + 1, end);
            if (escaped(b, p + 1, keyClose)) {
                return TEXT; // a key the upstream decodes may be "type"
            }
            boolean type = keyClose - p - 1 == 4 && b[p + 1] == 't' && b[p + 2] == 'y' && b[p + 3] == 'p' && b[p + 4] == 'e';
            p = space(b, keyClose + 1, end);
            if (p >= end || b[p] != ':') {
                return TEXT;
            }
            p = space(b, p + 1, end);
            if (p >= end || b[p] != '"') {
                return TEXT;
            }
            int valueClose = JsonStrings.skip(b, p + 1, end);
            if (type) {
                kind = join(kind, of(b, p + 1, valueClose));
            }
            p = valueClose + 1;
        }
    }

    private static int space(byte[] b, int p, int end) {
        while (p < end && (b[p] == ' ' || b[p] == '\n' || b[p] == '\r' || b[p] == '\t')) {
            p++;
        }
        return p;
    }
}
