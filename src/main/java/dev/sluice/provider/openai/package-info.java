/**
 * OpenAI-protocol upstreams (OpenAI, Azure OpenAI, vLLM, Ollama, OpenRouter) as one
 * {@link dev.sluice.provider.openai.OpenAiUpstreamProtocol} per dialect, with per-upstream
 * {@link dev.sluice.provider.openai.OpenAiSettings} (keys, Azure's api-version, model map, extra headers):
 * canonical Anthropic requests translated to chat completions ({@link dev.sluice.provider.openai.ChatRequestWriter},
 * with {@code thinking} as {@code reasoning_effort} for the OpenAI doors' requests and, for Anthropic clients, for the
 * models the upstream lists as reasoning ({@link dev.sluice.provider.openai.OpenAiReasoning}, {@code reasoning:});
 * {@link dev.sluice.provider.openai.OpenAiRequests} for paths and auth per
 * {@link dev.sluice.provider.openai.OpenAiTarget.Flavor}), and answers translated back
 * ({@link dev.sluice.provider.openai.OpenAiDecoder}: reasoning text into thinking blocks signed with the gateway's mark,
 * {@link dev.sluice.translate.ForeignThinking}; chunked tool calls by index into tool_use blocks, the usage
 * chunk into message_delta usage with cached tokens as cache reads). The OpenAI front door's own chat completions
 * skip the round trip through the canonical form: the client's body goes with only the upstream's edits
 * ({@link dev.sluice.provider.openai.DirectChat}, as long as it says nothing the canonical form leaves out:
 * {@link dev.sluice.provider.openai.ChatCarried}), and a whole answer comes back as the upstream's own body
 * ({@link dev.sluice.provider.openai.RelayedAnswer}). Embeddings pass through and are metered
 * ({@link dev.sluice.provider.openai.EmbeddingsRequest}, {@link dev.sluice.provider.openai.EmbeddingsDecoder}); a
 * server's model list becomes Anthropic's ({@link dev.sluice.provider.openai.ModelListDecoder}); count_tokens is a 501.
 */
package dev.sluice.provider.openai;
