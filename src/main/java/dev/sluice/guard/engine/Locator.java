package dev.sluice.guard.engine;

import dev.sluice.guard.Location;
import dev.sluice.guard.Section;
import dev.sluice.guard.Source;
import java.nio.charset.StandardCharsets;

/** Turns a segment of the last walk into words: its section, indices, block type, field and writer. */
final class Locator {
    private static final Section[] SECTIONS = Section.values();
    private static final int MAX_NAME = 40;
    /** The longest name with a digit that is named: {@code line2}, {@code v1_beta}; never a token's length. */
    private static final int MAX_NAME_WITH_DIGITS = 12;

    private final BodyWalker walker;
    private byte[] body;

    Locator(BodyWalker walker) {
        this.walker = walker;
    }

    void body(byte[] b) {
        this.body = b;
    }

    Source source(int s) {
        Segments seg = walker.segments;
        Section section = SECTIONS[seg.section(s)];
        return switch (section) {
            case SYSTEM -> Source.SYSTEM;
            case TOOLS -> Source.TOOL_DEFINITION;
            case ANSWER -> Source.ANSWER;
            case OTHER -> Source.OTHER;
            case MESSAGES -> messageSource(s);
        };
    }

    private Source messageSource(int s) {
        // Compared in place: this runs for every string read, and building names would allocate for each.
        int serial = walker.segments.blockSerial(s);
        if (serial >= 0 && serial < walker.typeStart.size()) {
            int from = walker.typeStart.get(serial);
            int to = walker.typeEnd.get(serial);
            if (from >= 0 && (endsWith(from, to, TOOL_RESULT))) {
                return Source.TOOL_RESULT;
            }
            if (from >= 0 && equal(from, to, DOCUMENT)) {
                return Source.DOCUMENT;
            }
        }
        int message = walker.segments.index(s);
        if (message >= 0 && message < walker.roleStart.size() && walker.roleStart.get(message) >= 0
                && equal(walker.roleStart.get(message), walker.roleEnd.get(message), ASSISTANT)) {
            return Source.ASSISTANT;
        }
        return Source.USER;
    }

    private static final byte[] TOOL_RESULT = "tool_result".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOCUMENT = "document".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ASSISTANT = "assistant".getBytes(StandardCharsets.US_ASCII);

    private boolean equal(int from, int to, byte[] word) {
        return to - from == word.length && java.util.Arrays.equals(body, from, to, word, 0, word.length);
    }

    private boolean endsWith(int from, int to, byte[] word) {
        return to - from >= word.length && java.util.Arrays.equals(body, to - word.length, to, word, 0, word.length);
    }

    /**
     * Where segment {@code s} is. With {@code keyFound} true the key naming it had a finding of its own (a secret used as
     * a tool input's key), so the field is not named.
     */
    Location location(int s, int line, Source source, boolean keyFound) {
        Segments seg = walker.segments;
        return new Location(SECTIONS[seg.section(s)], seg.index(s), seg.block(s), seg.part(s), blockType(s),
                keyFound ? "" : name(seg.fieldStart(s), seg.fieldEnd(s)), source, line);
    }

    private String blockType(int s) {
        int serial = walker.segments.blockSerial(s);
        if (serial < 0 || serial >= walker.typeStart.size()) {
            return "";
        }
        return name(walker.typeStart.get(serial), walker.typeEnd.get(serial));
    }

    /**
     * A key or type name from the body, if it is a plain short identifier (never content: it goes into messages, the
     * ledger and the audit log). A key is the caller's text (a tool input's, or a member the front door passes on), so
     * one with digits in it is named only when short: a token used as a key ({@code {"ghp_...": "..."}}) is an
     * identifier of forty characters, and a field name it was would carry it into every record of the finding.
     */
    private String name(int from, int to) {
        if (from < 0 || to <= from || to - from > MAX_NAME) {
            return "";
        }
        boolean digits = false;
        for (int i = from; i < to; i++) {
            int c = body[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return "";
            }
            digits |= c >= '0' && c <= '9';
        }
        if (digits && to - from > MAX_NAME_WITH_DIGITS) {
            return "";
        }
        return new String(body, from, to - from, StandardCharsets.US_ASCII);
    }
}
