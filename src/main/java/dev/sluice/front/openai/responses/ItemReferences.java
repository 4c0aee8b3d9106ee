package dev.sluice.front.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.pipeline.Bounded;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.io.IOException;

/**
 * One request's {@code item_reference} input items resolved to the items they name, from the caller's own stored
 * answers ({@link ItemStore}), before the translation reads them: the canonical body then holds the whole conversation,
 * so the guard, the cache key and the budgets see what the model sees. An id this caller has not stored (unknown,
 * expired, evicted, made on another replica, by another key, or with {@code store: false}) is refused with a 400 that
 * says what to send instead. What references bring in counts against the body limit with the body that names them:
 * a few bytes of ids must not make a request larger than the gateway takes whole, so a body whose referenced items take
 * it past the limit is refused as a body over the limit is, with a 413.
 */
final class ItemReferences {
    /** For a request with no caller known (tools, tests): every reference is unknown. */
    static final ItemReferences NONE = new ItemReferences(null, null, 0, 0);

    private final ItemStore store;
    private final String owner;
    private final long limit;
    private final long bodyBytes;
    private long added;

    /**
     * @param owner     the caller, as {@link ItemStore#owner} names it; null refuses every reference
     * @param limit     the body limit ({@code server.body-limit}), in bytes
     * @param bodyBytes the size of the body that holds the references, which counts against {@code limit} first
     */
    ItemReferences(ItemStore store, String owner, long limit, long bodyBytes) {
        this.store = store;
        this.owner = owner;
        this.limit = limit;
        this.bodyBytes = bodyBytes;
    }

    /** The caller, as {@link ItemStore#owner} names it (whom its reasoning items were sealed for), or null. */
    String owner() {
        return owner;
    }

    /**
     * The stored item {@code reference} names.
     *
     * @throws ApiError 400 when its id is not a bounded string or names no item of this caller's; 413 when the body and
     *                  the items brought in come to more than the body limit
     */
    JsonNode resolve(JsonNode reference, String where) {
        JsonNode id = reference.get("id");
        ResponsesFields.expect(where + ".id", id == null ? reference : id,
                id != null && id.isTextual() && !id.asText().isEmpty() && id.asText().length() <= Bounded.ID,
                "the id of an output item, a string of at most " + Bounded.ID + " characters");
        String json = store == null ? null : store.get(owner, id.asText());
        if (json == null) {
            throw ApiError.invalidRequest(where + ".id: " + OutputItem.q(id.asText()) + " is not an item this gateway keeps"
                    + " for this caller. Items of answers made with store true (the default) are kept for " + kept(store) + ", in the"
                    + " memory of the gateway replica that answered, for the key that asked; this one may have expired, come"
                    + " from another replica or key, or from an answer made with store: false. Send the item itself instead"
                    + " (with store: false, which the Vercel AI SDK takes as providerOptions.openai.store)");
        }
        added += utf8Length(json);
        if (bodyBytes + added > limit) {
            throw new ApiError(413, "request_too_large", "input: the body (" + bodyBytes + " bytes) and the items it sends by"
                    + " reference (" + added + " bytes so far) come to more than the gateway's body limit of " + limit
                    + " bytes; send fewer items by reference");
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an item this gateway rendered does not parse: " + id.asText(), e);
        }
    }

    /** How long items are kept, as the configuration writes it: {@code 1h}, {@code 90m}, {@code 45s}. */
    static String kept(ItemStore store) {
        long s = (store == null ? ItemStore.Bounds.DEFAULTS : store.bounds()).maxAge().toSeconds();
        return s % 3600 == 0 ? s / 3600 + "h" : s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** The bytes {@code s} takes as UTF-8, the unit of the body limit (an item is JSON text the gateway wrote). */
    static long utf8Length(String s) {
        long n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c < 0x800 ? 1 : Character.isHighSurrogate(c) ? 0 : 2; // a surrogate pair: 4 bytes for 2 chars
            }
        }
        return n;
    }
}
