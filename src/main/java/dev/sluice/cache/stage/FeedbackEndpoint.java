package dev.sluice.cache.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.authenticate.Callers;
import dev.sluice.authenticate.Credentials;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.front.ExtraRoute;
import dev.sluice.pipeline.Bounded;
import dev.sluice.respond.Replies;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Set;

/**
 * {@code POST /sluice/v1/feedback} {@code {"request_id": "...", "rating": "down"|"up", "note"?: "..."}}: a
 * developer's verdict on one answer. Authenticated like any client call; only the key that made the request (or an
 * admin key with the write role) may rate it, and another key gets the same 404 as an unknown id. The body is read up to
 * {@value #MAX_BODY} bytes. A thumbs-down on an answer from the cache is a wrong-answer signal
 * ({@link AnswerSignals}). An answer takes one verdict; a second is a 409. Errors are in the Anthropic envelope.
 */
public final class FeedbackEndpoint {
    public static final String PATH = "/sluice/v1/feedback";
    static final int MAX_BODY = 4096;
    static final int MAX_NOTE = 1000;
    private static final Set<String> FIELDS = Set.of("request_id", "rating", "note");

    private FeedbackEndpoint() {
    }

    /** @param guesses the admin API's count of wrong credentials: an admin key is compared here too */
    public static ExtraRoute route(LiveConfig live, Callers callers, AnswerSignals signals, CredentialGuesses guesses) {
        // The admin keys the admin API serves: those the gateway started with (a reload changes them only after a
        // restart), so a key the admin API refuses is refused here too, and a removed one keeps the same standing.
        AdminConfig admin = live.current().config().admin();
        return new ExtraRoute(PATH, req -> handle(req, live, admin, callers, signals, guesses));
    }

    private static void handle(HttpServerRequest req, LiveConfig live, AdminConfig admin, Callers callers, AnswerSignals signals,
                               CredentialGuesses guesses) {
        if (!req.path().equals(PATH)) {
            Replies.send(req.response(), ApiError.notFound("Not found: " + Replies.bounded(req.path())));
            return;
        }
        if (req.method() != HttpMethod.POST) {
            Replies.send(req.response(), new ApiError(405, "invalid_request_error", PATH + " takes POST"));
            return;
        }
        String keyId;
        String address = CredentialGuesses.address(req);
        try {
            // An admin key is compared here, so guesses are counted as the admin API counts them: uncounted, this
            // route answered "write admin key" (a 404 for an unknown id) or not (a 401) to unbounded guesses.
            guesses.admit(address);
            keyId = mayRateAny(admin, req.headers()) ? null : identified(live, callers, req, guesses, address);
        } catch (ApiError e) {
            Replies.send(req.response(), e);
            return;
        }
        String declared = req.getHeader("content-length");
        if (declared != null && tooLong(declared)) {
            refuseLarge(req);
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        req.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                refused[0] = true;
                refuseLarge(req);
                return;
            }
            body.appendBuffer(chunk);
        });
        req.endHandler(v -> {
            if (refused[0]) {
                return;
            }
            try {
                Replies.commonHeaders(req.response().headers(), dev.sluice.pipeline.RequestIds.next(), 0);
                req.response().putHeader("content-type", "application/json").end(answer(body, keyId, signals).toString());
            } catch (ApiError e) {
                Replies.send(req.response(), e);
            }
        });
    }

    /** The caller's key id; a credential that is neither a caller's key nor an admin key is a wrong guess. */
    private static String identified(LiveConfig live, Callers callers, HttpServerRequest req, CredentialGuesses guesses,
                                     String address) {
        try {
            return callers.identify(live.current(), req.headers()).keyId();
        } catch (ApiError e) {
            if (e.status() == 401) {
                guesses.wrong(address);
            }
            throw e;
        }
    }

    private static ObjectNode answer(Buffer body, String keyId, AnswerSignals signals) {
        JsonNode json;
        try {
            json = Json.MAPPER.reader().withFeatures(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(body.getBytes());
        } catch (java.io.IOException e) {
            throw ApiError.invalidRequest("feedback body: not JSON (expected: {\"request_id\": \"...\", \"rating\": \"down\" or \"up\"})");
        }
        if (json == null || !json.isObject()) {
            throw ApiError.invalidRequest("feedback body: expected a JSON object with request_id and rating");
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw ApiError.invalidRequest("feedback body: unknown field '" + Replies.bounded(name)
                        + "' (expected: request_id, rating, note)");
            }
        }
        String id = text(json, "request_id", 64, true);
        String rating = text(json, "rating", 8, true);
        if (!rating.equals("down") && !rating.equals("up")) {
            throw ApiError.invalidRequest("rating: '" + Replies.bounded(rating) + "' (expected: down or up)");
        }
        String note = text(json, "note", MAX_NOTE, false);
        switch (signals.feedback(id, keyId, rating.equals("down"), note)) {
            case UNKNOWN -> throw ApiError.notFound("No request '" + Replies.bounded(id) + "' for this key (feedback is taken for an hour)");
            case ALREADY_RATED -> throw new ApiError(409, "invalid_request_error", "Request '" + Replies.bounded(id)
                    + "' is already rated: one verdict per answer");
            case RECORDED -> {
            }
        }
        return Json.MAPPER.createObjectNode().put("request_id", id).put("rating", rating).put("recorded", true);
    }

    private static String text(JsonNode json, String field, int max, boolean required) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw ApiError.invalidRequest(field + ": required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > max) {
            throw ApiError.invalidRequest(field + ": '" + Bounded.text(v.toString(), 80) + "' (expected: a string of 1 to "
                    + max + " characters)");
        }
        return v.asText();
    }

    private static boolean tooLong(String declared) {
        try {
            return Long.parseLong(declared.trim()) > MAX_BODY;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    private static void refuseLarge(HttpServerRequest req) {
        Replies.closeAfter(req);
        Replies.send(req.response(), ApiError.tooLarge(MAX_BODY));
    }

    /**
     * An admin key with the write role may rate any request (compared by digest, like the admin API): a rating changes
     * shared state (it evicts an org's cache entry, moves semantic thresholds), which a read-only key must not.
     */
    static boolean mayRateAny(AdminConfig admin, MultiMap headers) {
        String presented = Credentials.presented(headers);
        if (presented == null || admin == null) {
            return false;
        }
        byte[] d = sha256(presented);
        boolean found = false;
        for (AdminConfig.AdminKey k : admin.keys()) {
            found |= MessageDigest.isEqual(d, sha256(k.value())) && "write".equals(k.role());
        }
        return found;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
