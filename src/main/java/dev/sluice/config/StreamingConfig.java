package dev.sluice.config;

import java.time.Duration;

/**
 * Server-sent event relaying.
 *
 * @param pingInterval      after this much upstream silence the client gets an {@code event: ping},
 *                          so idle timeouts between the client and Sluice do not trip
 * @param onClientDisconnect {@code drain} (default) keeps reading the upstream to its end without
 *                          writing, so the bill is the upstream's own final usage, exact to the token;
 *                          {@code cancel} resets the upstream at once (spends least, but the output
 *                          generated after the last relayed event is an estimate, flagged in the ledger)
 */
public record StreamingConfig(Duration pingInterval, String onClientDisconnect) {
    public StreamingConfig {
        pingInterval = pingInterval == null ? Duration.ofSeconds(10) : pingInterval;
        onClientDisconnect = onClientDisconnect == null ? "drain" : onClientDisconnect;
    }

    public static StreamingConfig defaults() {
        return new StreamingConfig(null, null);
    }

    public boolean drainOnDisconnect() {
        return "drain".equals(onClientDisconnect);
    }
}
