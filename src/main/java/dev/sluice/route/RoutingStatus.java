package dev.sluice.route;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.authenticate.CredentialGuesses;
import dev.sluice.authenticate.Credentials;
import dev.sluice.config.AdminConfig;
import dev.sluice.config.HealthConfig;
import dev.sluice.config.LiveConfig;
import dev.sluice.config.Snapshot;
import dev.sluice.front.ExtraRoute;
import dev.sluice.respond.Replies;
import dev.sluice.upstream.KeyState;
import dev.sluice.upstream.RateLimits;
import dev.sluice.upstream.TargetHealth;
import dev.sluice.upstream.UpstreamKey;
import dev.sluice.upstream.UpstreamSpec;
import dev.sluice.upstream.Upstreams;
import dev.sluice.wire.ApiError;
import dev.sluice.wire.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.function.LongSupplier;

/**
 * {@code GET /sluice/v1/routing}: what routing knows right now, for operators (an admin key of either
 * role): per upstream its breaker, the failures in its window, its time to first byte; per key its
 * requests in flight, the rate-limit state the upstream last reported and any cool-down; how many
 * conversations are placed. Key values never appear, only aliases.
 */
public final class RoutingStatus {
    public static final String PATH = "/sluice/v1/routing";

    private RoutingStatus() {
    }

    /** @param guesses the admin API's count of wrong admin credentials: this route compares the same keys */
    public static ExtraRoute route(LiveConfig live, RoutingState state, CredentialGuesses guesses) {
        return new ExtraRoute(PATH, req -> {
            Snapshot snap = live.current();
            try {
                admit(snap.config().admin(), Credentials.presented(req.headers()), guesses, CredentialGuesses.address(req));
            } catch (ApiError e) {
                Replies.send(req.response(), e);
                return;
            }
            req.response().putHeader("content-type", "application/json").end(render(snap, state, state::now).toString());
        });
    }

    static ObjectNode render(Snapshot snap, RoutingState state, LongSupplier clock) {
        long now = clock.getAsLong();
        HealthConfig cfg = snap.config().routing().health();
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode ups = out.putObject("upstreams");
        for (UpstreamSpec spec : snap.get(Upstreams.PART).byName().values()) {
            TargetHealth.View v = state.health().of(spec.name()).view(cfg, now);
            ObjectNode u = ups.putObject(spec.name());
            u.put("breaker", v.state().name().toLowerCase(java.util.Locale.ROOT)).put("open_ms_left", v.openMillisLeft())
                    .put("window_attempts", v.windowAttempts()).put("window_failures", v.windowFailures())
                    .put("consecutive_failures", v.consecutiveFailures()).put("ttfb_ms", v.ttfbMillis())
                    .put("successes", v.successes()).put("failures", v.failures()).put("times_opened", v.timesOpened());
            ObjectNode keys = u.putObject("keys");
            for (UpstreamKey k : spec.keys()) {
                KeyState s = state.keys().of(spec.name(), k.alias());
                RateLimits r = s.limits();
                long at = s.availableAt(0, now);
                keys.putObject(k.alias()).put("outstanding", s.outstanding()).put("requests_left", r.requestsLeft())
                        .put("input_tokens_left", r.tokensLeft()).put("headroom", r.headroom(now))
                        .put("waits_ms", at > now ? at - now : 0);
            }
        }
        out.put("sticky_conversations", state.sticky().size());
        out.put("sticky_threads", state.threads().size());
        return out;
    }

    /**
     * Counted like the admin API's checks ({@link CredentialGuesses}): without that, this route on the API's listener
     * answered 200 or 401 to as many admin-key guesses as a caller cared to send.
     */
    private static void admit(AdminConfig admin, String presented, CredentialGuesses guesses, String address) {
        if (admin.keys().isEmpty()) {
            throw ApiError.notFound("Not found: " + PATH + " (it needs admin keys in the configuration)");
        }
        if (presented == null) {
            throw ApiError.authentication("admin credential required (send Authorization: Bearer <admin key> or x-api-key)");
        }
        guesses.admit(address);
        byte[] digest = sha256(presented);
        boolean ok = false;
        for (AdminConfig.AdminKey k : admin.keys()) {
            ok |= MessageDigest.isEqual(digest, sha256(k.value()));
        }
        if (!ok) {
            guesses.wrong(address);
            throw ApiError.authentication("invalid admin credential");
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
