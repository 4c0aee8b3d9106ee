/**
 * A simulated Anthropic Messages API ({@code sluice sim}): a deterministic, fast upstream for demos,
 * load tests and every gateway test.
 *
 * <p>Start one with {@link dev.sluice.sim.SimServer#start}; read what it received and what it billed
 * from {@link dev.sluice.sim.SimRecorder}. It speaks the real wire format (auth, error envelopes,
 * rate-limit headers, SSE streams, tool use, prompt caching) and takes per-request steering headers:
 *
 * <ul>
 *   <li>{@code x-sim-output-tokens: N} — output size (capped by {@code max_tokens});
 *   <li>{@code x-sim-ttft-ms: MS} — time to first token; {@code x-sim-tokens-per-second: TPS} — pacing;
 *   <li>{@code x-sim-event-gap-ms: MS} — exactly MS between successive SSE events;
 *   <li>{@code x-sim-tool: NAME} — force a {@code tool_use} of that tool ({@code NAME;once}: not after a tool_result);
 *   <li>{@code x-sim-fault: SPEC} — inject a failure, see {@link dev.sluice.sim.FaultPlan};
 *   <li>{@code x-sim-fault-key: KEY} — only for requests made with that upstream credential;
 *   <li>{@code x-sim-thinking-loop: strict} — refuse, as the real API does, a tool loop with thinking on whose
 *       assistant message lacks its thinking block ({@link dev.sluice.sim.ThinkingRules}; the API's other thinking
 *       rules are always checked).
 * </ul>
 *
 * <p>It also speaks the other providers' wires on the same reply planning, prompt cache and recorder
 * ({@link dev.sluice.sim.ProviderRoutes}): Bedrock ({@code /model/{id}/invoke}, {@code /invoke-with-response-stream},
 * {@code /count-tokens}; SigV4 verified against {@link dev.sluice.sim.BedrockSim#ACCESS_KEY_ID} or a Bedrock API key;
 * the binary event stream with its CRCs), Vertex AI ({@code :rawPredict}, {@code :streamRawPredict},
 * {@code count-tokens:rawPredict}; OAuth bearer tokens from its own {@code /token} endpoint or
 * {@link dev.sluice.sim.VertexSim#STATIC_TOKEN}) and OpenAI / Azure OpenAI chat completions (chunked tool calls, the
 * usage chunk, automatic prefix caching reported as cached tokens; reasoning by model name, {@link dev.sluice.sim.OpenAiModels}:
 * {@code reasoning_effort} refused by models without reasoning, {@code reasoning_content} shown by DeepSeek- and
 * Qwen-style models; embeddings), and Claude on Microsoft Foundry
 * (Anthropic's Messages API under {@code /anthropic}). Requests whose adapter sends none of the client's headers
 * are steered with standing directives ({@link dev.sluice.sim.SimServer#standingDirectives}).
 *
 * <p>Token counts come from {@link dev.sluice.sim.Tokenizer}: one token per started run of four UTF-8
 * bytes, so tests can predict every number the simulator reports.
 */
package dev.sluice.sim;
