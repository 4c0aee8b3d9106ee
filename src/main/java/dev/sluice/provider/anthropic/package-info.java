/**
 * The Anthropic API as an upstream ({@code provider: anthropic}): byte pass-through of the canonical
 * request with the upstream's own key; answers read by the pass-through decoder.
 */
package dev.sluice.provider.anthropic;
