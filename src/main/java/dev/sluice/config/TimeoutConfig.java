package dev.sluice.config;

import java.time.Duration;

/**
 * Upstream timeouts.
 *
 * @param connect     to open a TCP (and TLS) connection
 * @param firstByte   from sending the request to the upstream's response headers; long, because a
 *                    non-streaming completion only answers when it is finished
 * @param idle        longest silence inside a streaming response before it is treated as failed
 * @param streamTotal longest a streamed answer may run in all, however steadily its events come: an
 *                    upstream that sends deltas forever would otherwise hold the client's stream (and
 *                    the attempt) for good; generous, because an answer with long thinking can run ten
 *                    minutes and more
 */
public record TimeoutConfig(Duration connect, Duration firstByte, Duration idle, Duration streamTotal) {
    public TimeoutConfig {
        connect = connect == null ? Duration.ofSeconds(10) : connect;
        firstByte = firstByte == null ? Duration.ofMinutes(10) : firstByte;
        idle = idle == null ? Duration.ofMinutes(5) : idle;
        streamTotal = streamTotal == null ? Duration.ofMinutes(30) : streamTotal;
    }

    public static TimeoutConfig defaults() {
        return new TimeoutConfig(null, null, null, null);
    }
}
