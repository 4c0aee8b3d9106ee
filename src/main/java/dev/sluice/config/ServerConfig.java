package dev.sluice.config;

/**
 * The HTTP front.
 *
 * @param host        address to listen on; loopback by default so nothing is exposed by accident
 * @param port        port to listen on (0 picks a free one)
 * @param bodyLimit   largest accepted request body in bytes (Anthropic's own cap is 32 MB)
 * @param eventLoops  event-loop threads serving requests; 0 means one per core
 * @param bodyTimeout longest time a client may take to send its request body
 */
public record ServerConfig(String host, Integer port, Size bodyLimit, Integer eventLoops, java.time.Duration bodyTimeout) {
    public ServerConfig {
        host = host == null ? "127.0.0.1" : host;
        port = port == null ? 8787 : port;
        bodyLimit = bodyLimit == null ? Size.ofMegabytes(32) : bodyLimit;
        eventLoops = eventLoops == null ? 0 : eventLoops;
        bodyTimeout = bodyTimeout == null ? java.time.Duration.ofSeconds(60) : bodyTimeout;
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null);
    }

    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }
}
