package dev.sluice.wire;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
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
        return reading(json, off, len).usage();
    }

    /**
     * The usage of a whole response, and whether a count in it was one no upstream means (negative, fractional): then
     * the usage holds a stand-in and a record of it must be flagged as an estimate.
     *
     * @param usage    the counts, {@link Usage#ZERO} when the body has no usage object
     * @param doubtful true when a count was negative or fractional
     * @param model    the top-level {@code model} the upstream says answered, or null: the same field a stream's
     *                 {@code message_start} carries, so a whole answer and a stream of one model are recorded alike
     */
    public record Reading(Usage usage, boolean doubtful, String model) {
    }

    /** Like {@link #read(byte[])}, with the doubt about its counts. */
    public static Reading reading(byte[] json) {
        return reading(json, 0, json.length);
    }

    /**
     * Like {@link #reading(byte[])}, for a whole answer as the HTTP client gave it: read where it sits when it is on the
     * heap (as a body the client aggregated is), not from a copy of it.
     */
    public static Reading reading(Buffer body) {
        if (body instanceof BufferInternal internal) {
            ByteBuf buf = internal.getByteBuf();
            if (buf.hasArray()) {
                return reading(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
            }
        }
        return reading(body.getBytes());
    }

    private static Reading reading(byte[] json, int off, int len) {
        Objects.requireNonNull(json, "json");
        Objects.checkFromIndexSize(off, len, json.length);
        try (JsonParser p = Json.FACTORY.createParser(json, off, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("response body: starts with " + p.currentToken()
                        + " (expected: a JSON object)");
            }
            Usage usage = Usage.ZERO;
            boolean doubtful = false;
            String model = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals("usage")) {
                    UsageFields fields = UsageFields.read(p);
                    usage = fields.toUsage();
                    doubtful = fields.doubtful();
                } else if (name.equals("model") && value == JsonToken.VALUE_STRING) {
                    model = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return new Reading(usage, doubtful, model);
        } catch (JsonProcessingException e) {
            // A limit's exception (a number of 1,000+ digits, nesting past MAX_DEPTH) carries no location.
            String at = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
            throw new IllegalArgumentException("response body: not valid JSON (" + e.getOriginalMessage() + at + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen on a byte array; kept for the compiler
        }
    }

    /** Convenience for a whole array. */
    public static Usage read(byte[] json) {
        return read(json, 0, json.length);
    }
}
