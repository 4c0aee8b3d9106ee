package dev.sluice.guard.stage;

import dev.sluice.guard.webhook.PolicyWebhook;
import dev.sluice.guard.webhook.WebhookSettings;
import io.vertx.core.Vertx;

/**
 * The webhook client of the settings in force. It holds a keep-alive pool, so it lives outside configuration
 * snapshots: a reload with the same webhook keeps it; a reload with another makes a new one and closes the old
 * once every call that could still be using it has timed out.
 */
final class Webhooks implements AutoCloseable {
    private record Held(WebhookSettings settings, PolicyWebhook client, Vertx vertx) {
    }

    private Held held;

    /** The client for {@code settings}, made on {@code vertx} the first time. */
    synchronized PolicyWebhook client(Vertx vertx, WebhookSettings settings) {
        Held h = held;
        if (h != null && h.settings().equals(settings) && h.vertx() == vertx) {
            return h.client();
        }
        held = new Held(settings, new PolicyWebhook(vertx, settings), vertx);
        if (h != null) {
            long grace = h.settings().timeout().toMillis() * 2 + 1_000;
            h.vertx().setTimer(grace, id -> h.client().close());
        }
        return held.client();
    }

    @Override
    public synchronized void close() {
        if (held != null) {
            held.client().close();
            held = null;
        }
    }
}
