/**
 * The OpenAI-compatible front door: OpenAI clients (Codex CLI, Cursor, the SDKs) through the same pipeline as
 * Anthropic's. {@link dev.sluice.front.openai.OpenAiProtocol} is the {@link dev.sluice.pipeline.ClientProtocol}
 * and its routes ({@code /v1/chat/completions}, {@code /v1/embeddings}, {@code /v1/models} for requests without
 * {@code anthropic-version}, and all of them under {@code /openai/v1});
 * {@link dev.sluice.front.openai.ChatCompletionsRequest} turns a chat completion into a canonical Anthropic body,
 * after {@link dev.sluice.front.openai.ChatFields} has refused what it cannot honour, values of the wrong type and
 * keys given twice; {@link dev.sluice.front.openai.ReasoningEffort} maps both doors' reasoning effort to Anthropic's
 * extended thinking (budgets, {@code max_tokens}, what thinking cannot take);
 * {@link dev.sluice.front.openai.OpenAiEncoder} writes canonical answers back as chat completions (chunks and
 * {@code [DONE]}, usage with cached tokens, the usage chunk when {@code stream_options.include_usage} asked, thinking
 * text as {@code reasoning_content}; an
 * OpenAI upstream's whole answer as it came, {@link dev.sluice.provider.openai.RelayedAnswer});
 * {@link dev.sluice.front.openai.OpenAiErrorBody} and {@link dev.sluice.front.openai.OpenAiModels} give errors and
 * the model list OpenAI's shapes. Provider prompt caching on Claude upstreams: a client's {@code cache_control} markers
 * are carried by the translation ({@link dev.sluice.front.openai.CacheMarkers}), and for a client that sent none
 * {@link dev.sluice.front.openai.AutoBreakpointStage} places them where {@link dev.sluice.front.openai.BreakpointPlacement}
 * says, under the live policy {@link dev.sluice.front.openai.AutoBreakpoints}.
 */
package dev.sluice.front.openai;
