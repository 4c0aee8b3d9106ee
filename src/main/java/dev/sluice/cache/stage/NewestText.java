package dev.sluice.cache.stage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.wire.Json;
import java.io.IOException;

/** The newest user text of a request, decoded from the byte ranges the keyer found (raw JSON string content). */
final class NewestText {
    private NewestText() {
    }

    /**
     * The text of the ranges joined by newlines, or null when there is none, it is longer than {@code maxBytes}
     * raw bytes (then it is not compared by meaning, so nothing is decoded) or a range does not decode.
     */
    static String of(byte[] body, int[] ranges, int maxBytes) {
        if (ranges.length == 0) {
            return null;
        }
        long total = 0;
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            total += ranges[i + 1] - ranges[i];
        }
        if (total > maxBytes) {
            return null;
        }
        StringBuilder out = new StringBuilder((int) total);
        for (int i = 0; i + 1 < ranges.length; i += 2) {
            String piece = decode(body, ranges[i], ranges[i + 1]);
            if (piece == null) {
                return null;
            }
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(piece);
        }
        return out.toString();
    }

    /** One JSON string's content {@code body[start, end)}, quotes excluded, unescaped. */
    private static String decode(byte[] body, int start, int end) {
        if (start < 1 || end >= body.length || start > end) {
            return null;
        }
        // The quotes around the range are the string's own, so parsing from one to the other reads exactly it.
        try (JsonParser p = Json.FACTORY.createParser(body, start - 1, end - start + 2)) {
            return p.nextToken() == JsonToken.VALUE_STRING ? p.getText() : null;
        } catch (IOException e) {
            return null;
        }
    }
}
