/**
 * Accept: the HTTP front. Routes the Anthropic API paths, reads each request body once under the
 * size cap, inspects it in one streaming pass ({@link dev.sluice.accept.BodyInspector}) and hands
 * an {@link dev.sluice.pipeline.Exchange} to the pipeline. Probes and health checks are answered here.
 */
package dev.sluice.accept;
