package dev.sluice.budget.alert;

/** A destination for alerts. {@link #send} runs on an alert worker thread and may block; it throws to ask for a retry. */
public interface AlertSink {
    String name();

    void send(AlertPayload alert) throws Exception;
}
