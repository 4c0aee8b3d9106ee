/**
 * Upstreams on Anthropic's own wire: the Anthropic API ({@code provider: anthropic}) and Claude on Microsoft
 * Foundry ({@code provider: foundry}, the same wire under {@code https://{resource}.services.ai.azure.com/anthropic}
 * with its key as {@code x-api-key} or an Entra ID bearer token). Byte pass-through of the canonical request with
 * the upstream's own credential; answers read by the pass-through decoder.
 */
package dev.sluice.provider.anthropic;
