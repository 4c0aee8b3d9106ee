package dev.sluice.stream;

import dev.sluice.config.SluiceConfig;

/**
 * Relay timings, from the configuration.
 *
 * @param pingMillis        upstream silence after which the client gets a ping
 * @param idleMillis        upstream silence after which the stream is treated as failed
 * @param drainOnDisconnect keep reading the upstream after the client left, so usage is exact
 */
public record StreamSettings(long pingMillis, long idleMillis, boolean drainOnDisconnect) {
    public static StreamSettings from(SluiceConfig c) {
        return new StreamSettings(c.streaming().pingInterval().toMillis(), c.timeouts().idle().toMillis(),
                c.streaming().drainOnDisconnect());
    }
}
