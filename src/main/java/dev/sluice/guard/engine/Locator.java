package dev.sluice.guard.engine;

import dev.sluice.guard.Location;
import dev.sluice.guard.Section;
import dev.sluice.guard.Source;
import java.nio.charset.StandardCharsets;

/** Turns a segment of the last walk into words: its section, indices, block type, field and writer. */
final class Locator {
    private static final Section[] SECTIONS = Section.values();
    private static final int MAX_NAME = 40;

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
        String type = blockType(s);
        if (type.endsWith("tool_result")) {
            return Source.TOOL_RESULT;
        }
        if (type.equals("document")) {
            return Source.DOCUMENT;
        }
        return "assistant".equals(role(walker.segments.index(s))) ? Source.ASSISTANT : Source.USER;
    }

    Location location(int s, int line, Source source) {
        Segments seg = walker.segments;
        return new Location(SECTIONS[seg.section(s)], seg.index(s), seg.block(s), seg.part(s), blockType(s),
                name(seg.fieldStart(s), seg.fieldEnd(s)), source, line);
    }

    private String blockType(int s) {
        int serial = walker.segments.blockSerial(s);
        if (serial < 0 || serial >= walker.typeStart.size()) {
            return "";
        }
        return name(walker.typeStart.get(serial), walker.typeEnd.get(serial));
    }

    private String role(int message) {
        if (message < 0 || message >= walker.roleStart.size()) {
            return "";
        }
        return name(walker.roleStart.get(message), walker.roleEnd.get(message));
    }

    /** A key or type name from the body, if it is a plain short identifier (never content: it goes into messages). */
    private String name(int from, int to) {
        if (from < 0 || to <= from || to - from > MAX_NAME) {
            return "";
        }
        for (int i = from; i < to; i++) {
            int c = body[i];
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.')) {
                return "";
            }
        }
        return new String(body, from, to - from, StandardCharsets.US_ASCII);
    }
}
