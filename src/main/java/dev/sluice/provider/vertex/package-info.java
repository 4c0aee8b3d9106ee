/**
 * Google Vertex AI (Claude) as an upstream ({@link dev.sluice.provider.vertex.VertexProtocol}, settings in
 * {@link dev.sluice.provider.vertex.VertexSettings}: project, location, a service account's credentials file or
 * given tokens, model map): rawPredict / streamRawPredict / count-tokens paths on regional
 * and global endpoints ({@link dev.sluice.provider.vertex.VertexRequests}), the body adapted by byte-range
 * edits ({@link dev.sluice.provider.vertex.VertexBody}: no model, {@code anthropic_version}), OAuth2 tokens
 * from Google's auth library refreshed off the event loop ({@link dev.sluice.provider.vertex.VertexTokens}),
 * and answers decoded by {@link dev.sluice.provider.vertex.VertexDecoder} (Anthropic SSE as it is; Google's
 * error shape mapped and scrubbed of project details).
 */
package dev.sluice.provider.vertex;
