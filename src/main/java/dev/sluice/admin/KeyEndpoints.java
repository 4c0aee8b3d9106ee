package dev.sluice.admin;

import static dev.sluice.admin.DirectoryEndpoints.created;
import static dev.sluice.admin.DirectoryEndpoints.ok;
import static dev.sluice.admin.Endpoint.read;
import static dev.sluice.admin.Endpoint.write;

import dev.sluice.identity.Change;
import dev.sluice.identity.IdentityStore;
import dev.sluice.identity.KeyChanges;
import dev.sluice.identity.NewKey;
import dev.sluice.wire.ApiError;
import io.vertx.core.http.HttpMethod;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Keys: issue (the secret is in that answer only), list, get, change, revoke and rotate. */
final class KeyEndpoints {
    /** How long a rotated-out secret keeps working when the caller does not say: a working day and then some. */
    static final Duration DEFAULT_GRACE = Duration.ofHours(24);

    private KeyEndpoints() {
    }

    static List<Endpoint> all(IdentityStore store) {
        return List.of(
                read("/admin/keys", c -> ok(AdminJson.list(store.keys(c.allowQuery("user").query("user")),
                        k -> AdminJson.key(k, store.now())))),
                write(HttpMethod.POST, "/admin/keys", c -> {
                    JsonBody b = c.json("user_id", "alias", "tags", "monthly_cap_usd", "expires");
                    Change<BigDecimal> cap = b.usd("monthly_cap_usd");
                    return created(AdminJson.issued(store.issueKey(new NewKey(b.requiredText("user_id", "\"ana\""),
                            b.text("alias"), b.tags("tags"), cap == null ? null : cap.value(), b.duration("expires"))),
                            store.now()));
                }),
                read("/admin/keys/{id}", c -> ok(AdminJson.key(store.key(c.param("id")), store.now()))),
                write(HttpMethod.PATCH, "/admin/keys/{id}", c -> {
                    JsonBody b = c.json("alias", "tags", "monthly_cap_usd", "expires_at", "expires");
                    return ok(AdminJson.key(store.updateKey(c.param("id"), new KeyChanges(b.text("alias"), b.tags("tags"),
                            b.usd("monthly_cap_usd"), expiry(b, store.now()))), store.now()));
                }),
                write(HttpMethod.POST, "/admin/keys/{id}/revoke", c -> revoke(store, c)),
                write(HttpMethod.DELETE, "/admin/keys/{id}", c -> revoke(store, c)),
                write(HttpMethod.POST, "/admin/keys/{id}/rotate", c -> {
                    Duration grace = c.json("grace").duration("grace");
                    return ok(AdminJson.issued(store.rotateKey(c.param("id"), grace == null ? DEFAULT_GRACE : grace),
                            store.now()));
                }));
    }

    private static Reply revoke(IdentityStore store, AdminCall c) {
        c.json();
        return ok(AdminJson.key(store.revokeKey(c.param("id")), store.now()));
    }

    /** {@code expires_at} sets an instant (null: never); {@code expires} sets a duration from now. Not both. */
    private static Change<Instant> expiry(JsonBody b, Instant now) {
        if (b.has("expires_at") && b.has("expires")) {
            throw ApiError.invalidRequest("body: both expires_at and expires (expected: one of them)");
        }
        if (b.has("expires")) {
            Duration d = b.duration("expires");
            return Change.to(d == null ? null : now.plus(d));
        }
        return b.instant("expires_at");
    }
}
