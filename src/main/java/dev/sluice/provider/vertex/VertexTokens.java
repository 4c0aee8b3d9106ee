package dev.sluice.provider.vertex;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import dev.sluice.wire.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OAuth2 access tokens for Vertex AI, from Google's auth library (service-account JSON, or any credential
 * it reads) or a token given as it is.
 *
 * <p>The library's refresh blocks on HTTP, so it never runs on an event loop: one refresh at a time runs on
 * a platform daemon thread (not a virtual one: carrier threads can all be pinned by native work elsewhere in
 * the process, such as ONNX embeddings, and a token must not wait on that), and every caller waiting for it
 * is answered on its own Vert.x context. A token with more
 * than {@link #REFRESH_AHEAD} left is handed out at once; inside that window it is still handed out while a
 * background refresh fetches the next one, so requests never wait on a token that merely gets old. Shared by
 * every event loop; thread-safe.
 */
public final class VertexTokens {
    private static final Logger log = LoggerFactory.getLogger(VertexTokens.class);
    static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";
    /** Refresh this long before expiry, in the background. */
    static final Duration REFRESH_AHEAD = Duration.ofMinutes(5);
    /** Below this much life left a token is not used: callers wait for the refresh. */
    static final Duration MIN_LIFE = Duration.ofSeconds(30);
    private static final ExecutorService REFRESHERS = Executors.newThreadPerTaskExecutor(
            Thread.ofPlatform().daemon().name("sluice-gcp-token-", 0).factory());

    private final GoogleCredentials credentials;
    private final String fixed;
    private final Clock clock;
    private volatile AccessToken current;
    private CompletableFuture<AccessToken> inFlight;

    private VertexTokens(GoogleCredentials credentials, String fixed, Clock clock) {
        this.credentials = credentials;
        this.fixed = fixed;
        this.clock = clock;
    }

    /** A token given by the operator (short-lived; refreshing it is the operator's business). */
    public static VertexTokens ofToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("vertex token: blank (expected: an OAuth2 access token)");
        }
        return new VertexTokens(null, token.strip(), Clock.systemUTC());
    }

    /**
     * Credentials from a JSON key file's contents (service account, authorized user, external account).
     *
     * @throws IllegalArgumentException when the JSON is not a credential the library understands
     */
    public static VertexTokens ofCredentialsJson(byte[] json, Clock clock) {
        try {
            return of(GoogleCredentials.fromStream(new ByteArrayInputStream(json)).createScoped(List.of(SCOPE)), clock);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("vertex credentials: not a Google credential file (" + e.getMessage() + ")", e);
        }
    }

    public static VertexTokens of(GoogleCredentials credentials, Clock clock) {
        return new VertexTokens(credentials, null, clock);
    }

    /** A current token, completed on the caller's context; fails with a 502 when none can be had. */
    public Future<String> token(Vertx vertx) {
        if (fixed != null) {
            return Future.succeededFuture(fixed);
        }
        AccessToken t = current;
        Duration left = t == null ? Duration.ZERO : life(t);
        if (left.compareTo(REFRESH_AHEAD) > 0) {
            return Future.succeededFuture(t.getTokenValue());
        }
        CompletableFuture<AccessToken> refresh = refresh();
        if (left.compareTo(MIN_LIFE) > 0) {
            return Future.succeededFuture(t.getTokenValue()); // still good: the refresh runs in the background
        }
        Context context = vertx.getOrCreateContext();
        return Future.fromCompletionStage(refresh, context).map(AccessToken::getTokenValue)
                .recover(e -> Future.failedFuture(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : e));
    }

    private synchronized CompletableFuture<AccessToken> refresh() {
        // A done future counts as none: its waiters may run (and call again) before the clean-up below does.
        if (inFlight == null || inFlight.isDone()) {
            CompletableFuture<AccessToken> started = CompletableFuture.supplyAsync(this::fetch, REFRESHERS);
            inFlight = started;
            started.whenComplete((token, failure) -> {
                synchronized (this) {
                    if (inFlight == started) {
                        inFlight = null;
                    }
                }
            });
        }
        return inFlight;
    }

    private AccessToken fetch() {
        try {
            credentials.refresh();
            AccessToken token = credentials.getAccessToken();
            if (token == null || token.getTokenValue() == null) {
                throw new IOException("the token endpoint returned no access token");
            }
            current = token;
            return token;
        } catch (IOException | RuntimeException e) {
            log.warn("Vertex access token refresh failed: {}", e.toString());
            throw ApiError.badGateway("Vertex AI: the gateway could not obtain an access token");
        }
    }

    private Duration life(AccessToken t) {
        if (t.getExpirationTime() == null) {
            return Duration.ofDays(1); // the library gives no expiry for some token types; treat as long-lived
        }
        return Duration.between(Instant.now(clock), t.getExpirationTime().toInstant());
    }
}
