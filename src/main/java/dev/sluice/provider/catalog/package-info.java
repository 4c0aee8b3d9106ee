/**
 * The model catalog per upstream ({@link dev.sluice.provider.catalog.ModelCatalog}: ids, the provider's own ids,
 * context windows; prices are the meter's under the same ids) and the stage that answers {@code GET /v1/models}
 * from it for upstreams without a listing of their own ({@link dev.sluice.provider.catalog.ModelListStage}).
 * Claude's ids across providers are data ({@code providers/claude-models.yaml}, read by
 * {@link dev.sluice.provider.catalog.ClaudeModelIds}), which the Bedrock and Vertex doors, adapters and simulators
 * map by in both directions.
 */
package dev.sluice.provider.catalog;
