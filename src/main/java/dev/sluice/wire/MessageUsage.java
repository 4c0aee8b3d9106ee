package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * Reads usage from a complete non-stream Messages response body.
 *
 * <p>Uses Jackson's streaming parser and skips everything but the top-level {@code usage} object, so a
 * large body never becomes a tree in memory. A {@code usage} key nested inside content (a tool input,
 * say) is ignored: only the top level counts.
 */
public final class MessageUsage {

    private MessageUsage() {
    }

    /**
     * Usage of the response in {@code json[off, off+len)}; {@link Usage#ZERO} when the body has no usage object.
     *
     * @throws IllegalArgumentException if the bytes are not a JSON object, so a broken body is never silently billed as zero
     */
    public static Usage read(byte[] json, int off, int len) {
        Objects.requireNonNull(json, "json");
        Objects.checkFromIndexSize(off, len, json.length);
        try (JsonParser p = Json.FACTORY.createParser(json, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("response body: starts with " + p.currentToken()
                        + " (expected: a JSON object)");
            }
            Usage usage = Usage.ZERO;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("usage")) {
                    usage = UsageFields.read(p).toUsage();
                } else {
                    p.skipChildren();
                }
            }
            return usage;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("response body: not valid JSON (" + e.getOriginalMessage()
                    + " at byte " + e.getLocation().getByteOffset() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array; kept for the compiler
        }
    }

    /** Convenience for a whole array. */
    public static Usage read(byte[] json) {
        return read(json, 0, json.length);
    }
}
