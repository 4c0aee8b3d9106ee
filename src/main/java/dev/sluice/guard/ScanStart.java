package dev.sluice.guard;

/**
 * Where a scan starts: the whole body, or just after {@code messages[index]} when everything up to there
 * was scanned before (its offset is the byte after the message's closing brace).
 *
 * @param offset       0 for a whole body, else the offset just after the message
 * @param afterMessage -1 for a whole body, else the index of the last message already scanned
 */
public record ScanStart(int offset, int afterMessage) {

    public ScanStart {
        if (afterMessage < -1 || offset < 0 || (afterMessage == -1 && offset != 0)) {
            throw new IllegalArgumentException("scan start: offset " + offset + ", after message " + afterMessage
                    + " (expected: whole(), or afterMessage(offset > 0, index >= 0))");
        }
    }

    public static ScanStart whole() {
        return new ScanStart(0, -1);
    }

    /** Starts just after {@code messages[index]}, whose closing brace is the byte before {@code offset}. */
    public static ScanStart afterMessage(int offset, int index) {
        return new ScanStart(offset, index);
    }
}
