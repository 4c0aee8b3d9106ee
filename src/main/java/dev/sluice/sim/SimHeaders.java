package dev.sluice.sim;

/** Request headers that steer the simulator for one request. Names are case-insensitive on the wire. */
public final class SimHeaders {

    /** Output size in tokens (capped by {@code max_tokens}); default {@link SimOptions#defaultOutputTokens()}. */
    public static final String OUTPUT_TOKENS = "x-sim-output-tokens";
    /** Milliseconds before the first content delta; overrides {@link SimOptions#ttftMillis()}. */
    public static final String TTFT_MS = "x-sim-ttft-ms";
    /** Output pacing; overrides {@link SimOptions#tokensPerSecond()} ({@code 0} = instant). */
    public static final String TOKENS_PER_SECOND = "x-sim-tokens-per-second";
    /** Exactly this many milliseconds between successive SSE events (ignores ttft and pacing). */
    public static final String EVENT_GAP_MS = "x-sim-event-gap-ms";
    /** Force a {@code tool_use} of the named tool, input built from its schema's required fields. */
    public static final String TOOL = "x-sim-tool";
    /** Inject a failure; syntax in {@link FaultPlan}. Overrides {@link SimOptions#defaultFault()}. */
    public static final String FAULT = "x-sim-fault";
    /**
     * Apply {@link #FAULT} only to requests made with this upstream credential (the value the gateway
     * presents): how tests make one of a gateway's keys, or one of its upstreams, fail while another works.
     */
    public static final String FAULT_KEY = "x-sim-fault-key";
    /**
     * A JSON object (at most 4 KB) whose fields replace those of the usage the simulator reports at the end of its
     * answer: the whole body's {@code usage} and the {@code message_delta}'s. How tests play a hostile or broken
     * upstream's counts ({@code {"input_tokens":"5000"}}, {@code {"output_tokens":-3}},
     * {@code {"server_tool_use":{"web_search_requests":100000000}}}); a field set to null is written as null. The
     * recorder's {@link BilledUsage} stays what the simulator itself counted. Like {@link #FAULT}, it follows
     * {@link #FAULT_KEY}.
     */
    public static final String USAGE = "x-sim-usage";

    /**
     * {@code strict}: refuse, as the real API does, a request with thinking on whose tool loop under way lacks the
     * assistant's thinking block ({@link ThinkingRules#loop}).
     */
    public static final String THINKING_LOOP = "x-sim-thinking-loop";

    /**
     * Milliseconds a Message Batch created with this header (or a standing directive) stays {@code in_progress} before
     * it ends (default {@value SimBatches#DEFAULT_PROCESSING_MILLIS}): real batches take up to a day, tests a moment.
     */
    public static final String BATCH_MILLIS = "x-sim-batch-millis";

    private SimHeaders() {
    }
}
