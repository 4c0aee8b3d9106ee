package dev.sluice.cache.entry;

import dev.sluice.cache.key.Placeholder;
import dev.sluice.wire.Usage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One stored answer: a captured stream (its events' exact bytes) or a JSON body, with the
 * developer's values replaced by placeholders where it could be shared, and pinned values where it
 * could not.
 *
 * <p>Placeholders in {@link #payload()} are the byte {@link #MARK} followed by the placeholder id:
 * {@code 0xFF} never occurs in UTF-8, so nothing an upstream writes can be mistaken for one.
 *
 * @param form         the shape it was captured in
 * @param payload      the events' bytes back to back ({@link Form#STREAM}) or the body ({@link Form#MESSAGE})
 * @param eventEnds    end offset of each event in the payload (stream form; empty otherwise)
 * @param model        the model the upstream said it served
 * @param stopReason   the answer's stop reason
 * @param usage        what the upstream reported for the original request (the basis of savings)
 * @param pins         values this entry may only be served with (a request with another value misses)
 * @param createdAt    epoch millis when it was stored
 * @param expiresAt    epoch millis when it stops being served
 */
public record CacheEntry(Form form, byte[] payload, int[] eventEnds, String model, String stopReason, Usage usage,
                         Map<Placeholder, String> pins, long createdAt, long expiresAt) {

    /** The placeholder marker byte. */
    public static final byte MARK = (byte) 0xFF;

    /** How an answer was captured. */
    public enum Form {
        STREAM, MESSAGE
    }

    public CacheEntry {
        Objects.requireNonNull(form, "form");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(eventEnds, "eventEnds");
        Objects.requireNonNull(usage, "usage");
        pins = pins.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(pins));
        model = model == null ? "" : model;
        stopReason = stopReason == null ? "" : stopReason;
    }

    /** True when the payload carries placeholders (served to other developers with their own values). */
    public boolean templated() {
        for (byte b : payload) {
            if (b == MARK) {
                return true;
            }
        }
        return false;
    }

    /** Roughly the heap this entry holds, for the in-process store's byte budget. */
    public int weight() {
        return 160 + payload.length + 4 * eventEnds.length + 2 * (model.length() + stopReason.length()) + 64 * pins.size();
    }

    public long ageMillis(long now) {
        return Math.max(0, now - createdAt);
    }

    @Override
    public String toString() {
        return "CacheEntry[" + form + ", " + payload.length + " bytes, " + eventEnds.length + " events, model=" + model
                + ", stop=" + stopReason + ", pins=" + pins.keySet() + "]";
    }
}
