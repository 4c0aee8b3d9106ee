package dev.sluice.signin.oauth;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;

/** The caller's address for per-client limits: the TCP peer (forwarding headers are the caller's to forge). */
public final class Clients {
    private Clients() {
    }

    public static String address(HttpServerRequest req) {
        SocketAddress a = req.remoteAddress();
        return a == null ? "?" : a.hostAddress();
    }
}
