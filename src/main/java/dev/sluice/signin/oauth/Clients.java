package dev.sluice.signin.oauth;

import dev.sluice.authenticate.CredentialGuesses;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The caller's address for per-client limits: the TCP peer (forwarding headers are the caller's to forge). */
public final class Clients {
    private Clients() {
    }

    /** The peer's address as it is, for logs and for what a developer is shown. */
    public static String address(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        return a == null ? "?" : a.hostAddress();
    }

    /**
     * The key a peer's calls are limited under: an IPv6 peer by its /64, as admin credential guesses are
     * ({@link CredentialGuesses#counted}). Keyed by the whole address, one host rotating through its /64 got a fresh
     * bucket per call, so user-code guesses went unlimited, and filled the limiters' tables (100,000 keys each).
     */
    public static String limitKey(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        return a == null ? "?" : limitKey(a.hostAddress());
    }

    static String limitKey(String host) {
        return CredentialGuesses.counted(host);
    }
}
