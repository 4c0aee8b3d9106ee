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
 * says what to send instead. What references bring in is bounded by {@code budget} (the body limit): a few bytes of
 * ids must not make a body larger than the gateway takes whole.
 */
final class ItemReferences {
    /** For a request with no caller known (tools, tests): every reference is unknown. */
    static final ItemReferences NONE = new ItemReferences(null, null, 0);

    private final ItemStore store;
    private final String owner;
    private final long budget;
    private long spent;

    /**
     * @param owner  the caller, as {@link ItemStore#owner} names it; null refuses every reference
     * @param budget the most JSON characters all references of the request may bring in
     */
    ItemReferences(ItemStore store, String owner, long budget) {
        this.store = store;
        this.owner = owner;
        this.budget = budget;
    }

    /**
     * The stored item {@code reference} names.
     *
     * @throws ApiError 400 when its id is not a bounded string, names no item of this caller's, or the items brought in
     *                  pass the budget
     */
    JsonNode resolve(JsonNode reference, String where) {
        JsonNode id = reference.get("id");
        ResponsesFields.expect(where + ".id", id == null ? reference : id,
                id != null && id.isTextual() && !id.asText().isEmpty() && id.asText().length() <= Bounded.ID,
                "the id of an output item, a string of at most " + Bounded.ID + " characters");
        String json = store == null ? null : store.get(owner, id.asText());
        if (json == null) {
            throw ApiError.invalidRequest(where + ".id: " + OutputItem.q(id.asText()) + " is not an item this gateway keeps"
                    + " for this caller. Items of answers made with store true (the default) are kept for an hour, in the"
                    + " memory of the gateway replica that answered, for the key that asked; this one may have expired, come"
                    + " from another replica or key, or from an answer made with store: false. Send the item itself instead"
                    + " (with store: false, which the Vercel AI SDK takes as providerOptions.openai.store)");
        }
        spent += json.length();
        if (spent > budget) {
            throw ApiError.invalidRequest("input: the items sent by reference come to more than " + budget
                    + " characters, the gateway's body limit; send fewer of them");
        }
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("an item this gateway rendered does not parse: " + id.asText(), e);
        }
    }
}
