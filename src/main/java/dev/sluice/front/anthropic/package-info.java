/**
 * The Anthropic front door: Messages, count_tokens and models, inspected in one streaming pass
 * ({@link dev.sluice.front.anthropic.BodyInspector}); Anthropic's error envelope.
 */
package dev.sluice.front.anthropic;
