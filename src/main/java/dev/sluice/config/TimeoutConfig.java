package dev.sluice.config;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect   to open a TCP (and TLS) connection
 * @param firstByte from sending the request to the upstream's response headers; long, because a
 *                  non-streaming completion only answers when it is finished
 * @param idle      longest silence inside a streaming response before it is treated as failed
 */
public record TimeoutConfig(Duration connect, Duration firstByte, Duration idle) {
    public TimeoutConfig {
        connect = connect == null ? Duration.ofSeconds(10) : connect;
        firstByte = firstByte == null ? Duration.ofMinutes(10) : firstByte;
        idle = idle == null ? Duration.ofMinutes(5) : idle;
    }

    public static TimeoutConfig defaults() {
        return new TimeoutConfig(null, null, null);
    }
}
