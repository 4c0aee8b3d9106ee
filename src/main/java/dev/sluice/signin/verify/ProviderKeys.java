package dev.sluice.signin.verify;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The IdP's signing keys (JWKS), fetched with Vert.x and cached. A key id the cache does not know
 * triggers one refetch (the IdP rotated), but at most one per {@code minInterval}: a stream of tokens
 * with made-up key ids cannot turn the gateway into a JWKS hammer. Concurrent misses share the fetch;
 * after a failed fetch (the IdP down, or a stalled answer cut at the fetch's time limit) the next try
 * may come sooner.
 */
public final class ProviderKeys {
    static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

    private final HttpFetch http;
    private final Supplier<Future<String>> jwksUri;
    private final Clock clock;
    private final Duration minInterval;
    private volatile JWKSet keys = new JWKSet();
    private Instant lastFetch = Instant.EPOCH;
    private Future<JWKSet> inFlight;

    public ProviderKeys(HttpFetch http, Supplier<Future<String>> jwksUri, Clock clock, Duration minInterval) {
        this.http = http;
        this.jwksUri = jwksUri;
        this.clock = clock;
        this.minInterval = minInterval;
    }

    /** The key with this id (or the only key, when the token names none), fetching once if it is unknown; null if none. */
    public Future<JWK> key(String kid) {
        JWK known = find(keys, kid);
        if (known != null) {
            return Future.succeededFuture(known);
        }
        return refetch().map(set -> find(set, kid));
    }

    private static JWK find(JWKSet set, String kid) {
        if (kid == null) {
            return set.getKeys().size() == 1 ? set.getKeys().getFirst() : null;
        }
        return set.getKeyByKeyId(kid);
    }

    private synchronized Future<JWKSet> refetch() {
        if (inFlight != null) {
            return inFlight;
        }
        Instant now = clock.instant();
        if (now.isBefore(lastFetch.plus(minInterval))) {
            return Future.succeededFuture(keys);
        }
        lastFetch = now;
        Future<JWKSet> f = jwksUri.get()
                .compose(uri -> http.get(uri, null))
                .map(answer -> {
                    if (!answer.ok()) {
                        throw new IllegalStateException("the IdP's JWKS answered " + answer.status());
                    }
                    try {
                        // Public keys only: a JWKS that carried private parts would still verify, but we keep nothing secret.
                        return JWKSet.parse(answer.body().toString()).toPublicJWKSet();
                    } catch (ParseException e) {
                        throw new IllegalStateException("the IdP's JWKS is not a key set: " + e.getMessage());
                    }
                });
        inFlight = f;
        return f.andThen(ar -> {
            synchronized (this) {
                inFlight = null;
                if (ar.succeeded()) {
                    keys = ar.result();
                } else {
                    // A failed or stalled fetch read nothing: the next miss may try again after RETRY_AFTER_FAILURE,
                    // so sign-ins resume soon after the IdP recovers (still bounded: one fetch per that interval).
                    lastFetch = clock.instant().minus(minInterval).plus(RETRY_AFTER_FAILURE);
                }
            }
        });
    }
}
