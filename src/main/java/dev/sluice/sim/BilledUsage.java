package dev.sluice.sim;

/**
 * What the simulator billed for one {@code POST /v1/messages}, the way the real API would.
 *
 * @param messageId                 the {@code msg_...} id of the generated message; null if rejected first
 * @param requestId                 the {@code request-id} response header ({@code req_...})
 * @param upstreamKey               the credential the request used (the cache and billing scope)
 * @param model                     requested model; null when the body was never parsed
 * @param stream                    whether the answer was streamed
 * @param status                    HTTP status sent, or 0 when the connection was reset before any
 * @param outcome                   how the exchange ended
 * @param inputTokens               uncached input tokens
 * @param outputTokens              output tokens generated (for a cut or cancelled stream: written so far)
 * @param cacheCreationInputTokens  tokens written to the prompt cache
 * @param cacheReadInputTokens      tokens read from the prompt cache
 * @param ephemeral5mInputTokens    cache writes under 5-minute breakpoints
 * @param ephemeral1hInputTokens    cache writes under 1-hour breakpoints
 */
public record BilledUsage(String messageId, String requestId, String upstreamKey, String model, boolean stream,
                          int status, Outcome outcome, int inputTokens, int outputTokens,
                          int cacheCreationInputTokens, int cacheReadInputTokens, int ephemeral5mInputTokens,
                          int ephemeral1hInputTokens) {

    /** How an exchange ended. */
    public enum Outcome {
        /** Answered in full. */
        COMPLETED,
        /** Answered 4xx/5xx before generating; bills zero. */
        REJECTED,
        /** Connection closed before any response header ({@code x-sim-fault: reset}); bills zero. */
        RESET,
        /** The simulator dropped the connection mid-response ({@code x-sim-fault: cut:N}). */
        CUT,
        /** The client went away mid-response. */
        CANCELLED,
        /** An {@code event: error} ended the stream ({@code x-sim-fault: error-event:N}). */
        ERROR_EVENT
    }

    /** True when the response was cut by the simulator or cancelled by the client. */
    public boolean cut() {
        return outcome == Outcome.CUT || outcome == Outcome.CANCELLED;
    }

    /** All input tokens: uncached + cache writes + cache reads. */
    public int totalInputTokens() {
        return inputTokens + cacheCreationInputTokens + cacheReadInputTokens;
    }
}
