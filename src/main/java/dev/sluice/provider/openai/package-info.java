/**
 * OpenAI-protocol upstreams (OpenAI, Azure OpenAI, vLLM, Ollama, OpenRouter): canonical Anthropic requests
 * translated to chat completions ({@link dev.sluice.provider.openai.ChatRequestWriter},
 * {@link dev.sluice.provider.openai.OpenAiRequests} for paths and auth per
 * {@link dev.sluice.provider.openai.OpenAiTarget.Flavor}), and answers translated back
 * ({@link dev.sluice.provider.openai.OpenAiDecoder}: chunked tool calls by index into tool_use blocks, the usage
 * chunk into message_delta usage with cached tokens as cache reads). Embeddings pass through
 * ({@link dev.sluice.provider.openai.EmbeddingsRequest}).
 */
package dev.sluice.provider.openai;
