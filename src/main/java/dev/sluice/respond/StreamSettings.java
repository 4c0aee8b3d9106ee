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
 * @param totalMillis       longest a live stream may run from its start, events or not; then it is failed
 */
public record StreamSettings(long pingMillis, long idleMillis, boolean drainOnDisconnect, long totalMillis) {
    public static final Part<StreamSettings> PART = Part.of("streaming", StreamSettings::from);

    public static StreamSettings from(SluiceConfig c) {
        return new StreamSettings(c.streaming().pingInterval().toMillis(), c.timeouts().idle().toMillis(),
                c.streaming().drainOnDisconnect(), c.timeouts().streamTotal().toMillis());
    }
}
