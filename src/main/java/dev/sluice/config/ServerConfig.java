package dev.sluice.config;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
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
 * @param tls               HTTPS on the front (sign-in work, issue 13): Claude Code signs in to a gateway only over TLS
 * @param shutdownGrace     on a stop (SIGTERM), how long requests and streams in flight may run to their end before the
 *                          ones still running are cut with an error event; read when the stop begins, so a reload sets it
 * @param maxConnections    client connections the listener holds at once; past it a connection's first request gets a
 *                          retryable 503 and the connection is closed. Default: half the process's file-descriptor
 *                          limit, at most 10,000 (the other half stays for upstream connections and files). Read as
 *                          each connection opens, so a reload sets it
 */
public record ServerConfig(String host, Integer port, Size bodyLimit, Integer eventLoops, Duration bodyTimeout,
                           Duration headerTimeout, Duration idleTimeout, Size bodiesInFlight, Tls tls,
                           Duration shutdownGrace, Integer maxConnections) {
    /** The longest grace a stop may give: a deploy that waits longer than this is stuck, not draining. */
    public static final Duration MAX_SHUTDOWN_GRACE = Duration.ofMinutes(10);

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
        tls = tls == null ? Tls.defaults() : tls;
        shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : shutdownGrace;
        maxConnections = maxConnections == null ? defaultMaxConnections() : maxConnections;
    }

    /** Half of the process's file-descriptor limit, at most 10,000; 10,000 where the platform does not say. */
    static int defaultMaxConnections() {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
        return limit <= 0 ? 10_000 : (int) Math.max(64, Math.min(10_000, limit / 2));
    }

    public static ServerConfig defaults() {
        return new ServerConfig(null, null, null, null, null, null, null, null, null, null, null);
    }

    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /**
     * TLS for the front (added with sign-in, issue 13): the operator's PEM certificate chain and key,
     * or a self-signed certificate made at start for a local trial (its SHA-256 fingerprint is printed,
     * for the developer to compare with what the CLI shows). With TLS on, HTTP/2 is offered by ALPN.
     *
     * @param certFile       PEM file, the server's own certificate first, then its chain
     * @param keyFile        PEM private key (PKCS#8 or PKCS#1)
     * @param selfSigned     make a certificate at start (only when no cert-file is given)
     * @param selfSignedHost the name the self-signed certificate is made for
     */
    public record Tls(String certFile, String keyFile, Boolean selfSigned, String selfSignedHost) {
        public Tls {
            if ((certFile == null) != (keyFile == null)) {
                throw new IllegalArgumentException("cert-file and key-file go together (expected: both or neither)");
            }
            selfSigned = selfSigned != null && selfSigned;
            if (selfSigned && certFile != null) {
                throw new IllegalArgumentException("self-signed: true with a cert-file (expected: one or the other)");
            }
            selfSignedHost = selfSignedHost == null ? "localhost" : selfSignedHost;
        }

        public static Tls defaults() {
            return new Tls(null, null, null, null);
        }

        public boolean enabled() {
            return certFile != null || selfSigned;
        }
    }
}
