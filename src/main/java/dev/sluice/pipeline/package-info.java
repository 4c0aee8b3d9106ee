/**
 * The request pipeline: a {@link dev.sluice.pipeline.Stage} interface with four hooks, the
 * {@link dev.sluice.pipeline.Exchange} that carries one request through them, and the
 * {@link dev.sluice.pipeline.Pipeline} that runs the stages in the order written in
 * {@code dev.sluice.Gateway}. Request hooks run in order; response and completion hooks in reverse;
 * a stage that stops the request still lets the stages before it complete.
 */
package dev.sluice.pipeline;
