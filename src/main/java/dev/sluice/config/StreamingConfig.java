package dev.sluice.config;

import java.time.Duration;

/**
 * Server-sent event relaying.
 *
 * @param pingInterval      after this much upstream silence the client gets an {@code event: ping},
 *                          so idle timeouts between the client and Sluice do not trip
 * @param onClientDisconnect {@code cancel} stops the upstream at once (spends least; output tokens
 *                          generated after the last relayed event are estimated) or {@code drain}
 *                          reads the upstream to its end so the bill is exact
 */
public record StreamingConfig(Duration pingInterval, String onClientDisconnect) {
    public StreamingConfig {
        pingInterval = pingInterval == null ? Duration.ofSeconds(10) : pingInterval;
        onClientDisconnect = onClientDisconnect == null ? "cancel" : onClientDisconnect;
    }

    public static StreamingConfig defaults() {
        return new StreamingConfig(null, null);
    }

    public boolean drainOnDisconnect() {
        return "drain".equals(onClientDisconnect);
    }
}
