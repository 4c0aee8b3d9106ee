package dev.sluice.guard.webhook;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the policy webhook is and how to treat it.
 *
 * @param url              http or https URL the summary is POSTed to
 * @param timeout          the whole exchange (connect, send, answer) must fit in this
 * @param failMode         what an unanswered or broken call means: {@link FailMode#OPEN} lets the request through, {@link FailMode#CLOSED} blocks it
 * @param bearerToken      sent as {@code Authorization: Bearer ...} when not null (the webhook's own credential)
 * @param maxResponseBytes a longer answer is a broken answer
 */
public record WebhookSettings(URI url, Duration timeout, FailMode failMode, String bearerToken, int maxResponseBytes) {
    public static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    public static final int MAX_RESPONSE = 1024 * 1024;

    /** What a webhook that does not answer properly means for the request. */
    public enum FailMode {
        OPEN, CLOSED
    }

    public WebhookSettings {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(failMode, "fail mode");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("policy webhook url: " + url + " (expected: an http or https URL with a host)");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("policy webhook timeout: " + timeout + " (expected: more than 0, at most " + MAX_TIMEOUT + ")");
        }
        if (maxResponseBytes < 16 || maxResponseBytes > MAX_RESPONSE) {
            throw new IllegalArgumentException("policy webhook max response: " + maxResponseBytes + " bytes (expected: 16 to " + MAX_RESPONSE + ")");
        }
        if (bearerToken != null && (bearerToken.isBlank() || bearerToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e))) {
            throw new IllegalArgumentException("policy webhook token: not a printable ASCII token (expected: no spaces or control characters)");
        }
    }

    public static WebhookSettings of(String url, Duration timeout, FailMode failMode) {
        return new WebhookSettings(URI.create(url), timeout, failMode, null, 64 * 1024);
    }

    @Override
    public String toString() {
        return "WebhookSettings[url=" + url + ", timeout=" + timeout + ", failMode=" + failMode + ", token=" + (bearerToken == null ? "none" : "set")
                + ", maxResponseBytes=" + maxResponseBytes + "]";
    }
}
