/**
 * The Vertex AI front door ({@code /vertex/v1/projects/.../publishers/anthropic/models/{model}:rawPredict}): Claude
 * Code in its Vertex mode and the Anthropic Vertex SDKs, their bodies made canonical by byte-range edits
 * ({@link dev.sluice.front.vertex.RawPredictBody}), answers passed through as Vertex relays Claude's, Anthropic's
 * error envelope.
 */
package dev.sluice.front.vertex;
