/**
 * Provider: the upstreams. {@link dev.sluice.provider.Upstream} holds one pooled keep-alive client
 * per upstream and event loop; {@link dev.sluice.provider.AnthropicForwarder} sends an exchange
 * to an Anthropic-protocol upstream with the upstream's own credential and hands the answer to
 * the stream package. Later provider protocols (Bedrock, Vertex, OpenAI) get their own forwarders.
 */
package dev.sluice.provider;
