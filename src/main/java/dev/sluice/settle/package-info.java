/**
 * Settlement: what an upstream attempt cost ({@link dev.sluice.settle.Meter}, prices as data in
 * {@link dev.sluice.settle.PriceTable}). The usage it prices is reported by each attempt's translator
 * in Anthropic's vocabulary ({@link dev.sluice.wire.Usage}).
 *
 * <p>There is exactly one cost function. Every path (non-stream body, SSE stream, Bedrock, Vertex,
 * OpenAI-compatible upstreams translated to Anthropic usage) ends in {@code Meter.cost(model, usage)},
 * so cache-token pricing cannot drift between paths — the failure peers' users report most.
 *
 * <p>Money is computed in {@link java.math.BigDecimal} from prices in USD per million tokens and
 * rounded once per record to integer nano-USD (half-even). Ledger sums are then exact integer sums
 * in SQL; no floating point touches money.
 */
package dev.sluice.settle;
