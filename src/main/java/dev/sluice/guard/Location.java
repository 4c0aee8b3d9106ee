package dev.sluice.guard;

/**
 * Where a finding is, in words a developer can act on ("message 12, block 1 (tool_result), line 40"),
 * without the matched text.
 *
 * @param section   the part of the body
 * @param index     message index (messages), block index (system), tool index (tools), block index (answer); -1 if none
 * @param block     content block index inside a message, or -1
 * @param part      block index inside a tool_result's content array, or -1
 * @param blockType the block's {@code type} ("text", "tool_use", "tool_result", ...), or "" when unknown
 * @param field     the JSON key whose string value held the match ("text", "content", "command", ...), or ""
 * @param source    who wrote the text
 * @param line      1-based line within the string value
 */
public record Location(Section section, int index, int block, int part, String blockType, String field, Source source, int line) {

    /** A short human description, e.g. {@code messages[12].content[1] (tool_result), line 40}. */
    public String describe() {
        StringBuilder s = new StringBuilder(section.field());
        if (index >= 0) {
            s.append('[').append(index).append(']');
        }
        if (block >= 0) {
            // An answer's blocks are its own content array: "content[1]", not "content.content[1]".
            s.append(section == Section.ANSWER && index < 0 ? "[" : ".content[").append(block).append(']');
        }
        if (part >= 0) {
            s.append(".content[").append(part).append(']');
        }
        if (!blockType.isEmpty()) {
            s.append(" (").append(blockType).append(')');
        }
        if (!field.isEmpty() && !field.equals("text") && !field.equals("content")) {
            s.append(" field \"").append(field).append('"');
        }
        return s.append(", line ").append(line).toString();
    }
}
