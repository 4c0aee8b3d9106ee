package dev.sluice.sim;

/**
 * One server-sent event, already framed ({@code event: X\ndata: {json}\n\n}).
 *
 * @param name         the event type
 * @param frame        the bytes to write, as a string
 * @param outputTokens output tokens this event delivers (one per generated piece)
 */
record SseEvent(String name, String frame, int outputTokens) {

    static SseEvent of(String name, String json, int outputTokens) {
        return new SseEvent(name, "event: " + name + "\ndata: " + json + "\n\n", outputTokens);
    }

    /** A delta that carries generated tokens: the events pacing applies to. */
    boolean carriesTokens() {
        return outputTokens > 0;
    }
}
