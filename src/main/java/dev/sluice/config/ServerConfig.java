package dev.sluice.config;

import java.time.Duration;

/**
 * The HTTP front.
 *
 * @param host              address to listen on; loopback by default so nothing is exposed by accident
 * @param port              port to listen on (0 picks a free one)
 * @param bodyLimit         largest accepted request body in bytes (Anthropic's own cap is 32 MB)
 * @param eventLoops        event-loop threads serving requests; 0 means one per core
 * @param bodyTimeout       longest time a client may take to send its request body (then 408)
 * @param headerTimeout     longest time from a request's first byte to its complete head (slow clients are cut off)
 * @param idleTimeout       a kept-alive connection with no request for this long is closed
 * @param bodiesInFlight    request-body bytes held in memory at once, over all connections; a client whose
 *                          body would pass it waits (its reading paused) until others finish. Default: a quarter
 *                          of the heap
 */
public record ServerConfig(String host, Integer port, Size bodyLimit, Integer eventLoops, Duration bodyTimeout,
                           Duration headerTimeout, Duration idleTimeout, Size bodiesInFlight) {
    public ServerConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8787 : port;
        bodyLimit = bodyLimit == null ? Size.ofMegabytes(32) : bodyLimit;
        eventLoops = eventLoops == null ? 0 : eventLoops;
        bodyTimeout = bodyTimeout == null ? Duration.ofSeconds(60) : bodyTimeout;
        headerTimeout = headerTimeout == null ? Duration.ofSeconds(10) : headerTimeout;
        idleTimeout = idleTimeout == null ? Duration.ofSeconds(60) : idleTimeout;
        bodiesInFlight = bodiesInFlight == null ? new Size(Math.max(Runtime.getRuntime().maxMemory() / 4, bodyLimit.bytes()))
                : bodiesInFlight;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null);
    }

    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }
}
