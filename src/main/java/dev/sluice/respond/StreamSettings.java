package dev.sluice.respond;

import dev.sluice.config.Part;
import dev.sluice.config.SluiceConfig;

/**
 * Timings of the client side of a stream, from the live configuration.
 *
 * @param pingMillis        upstream silence after which the client gets a ping
 * @param idleMillis        upstream silence after which the stream is treated as failed; a client that
 *                          reads nothing for this long (and at least a minute) is treated as gone
 * @param drainOnDisconnect keep reading the upstream after the client left, so usage is exact
 */
public record StreamSettings(long pingMillis, long idleMillis, boolean drainOnDisconnect) {
    public static final Part<StreamSettings> PART = Part.of("streaming", StreamSettings::from);

    public static StreamSettings from(SluiceConfig c) {
        return new StreamSettings(c.streaming().pingInterval().toMillis(), c.timeouts().idle().toMillis(),
                c.streaming().drainOnDisconnect());
    }
}
