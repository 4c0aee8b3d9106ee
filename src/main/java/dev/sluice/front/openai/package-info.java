/**
 * The OpenAI-compatible front door: OpenAI clients (Codex CLI, Cursor, the SDKs) through the same pipeline.
 * {@link dev.sluice.front.openai.ChatCompletionsRequest} turns {@code POST /v1/chat/completions} into a canonical
 * Anthropic body; {@link dev.sluice.front.openai.OpenAiEncoder} writes canonical answers back as chat completions
 * (chunks and {@code [DONE]}, usage with cached tokens); {@link dev.sluice.front.openai.OpenAiErrorBody} and
 * {@link dev.sluice.front.openai.OpenAiModels} give errors and the model list OpenAI's shapes. The routes
 * themselves are mounted by the HTTP front.
 */
package dev.sluice.front.openai;
