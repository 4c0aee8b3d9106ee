/**
 * Top-level field work on a JSON request body, shared by the front doors that make a body canonical (Bedrock,
 * Vertex, OpenAI chat and Responses) and the provider adaptations that make it an upstream's (Bedrock, Vertex,
 * OpenAI): {@link dev.sluice.wire.body.TopLevelFields} finds every top-level field's byte span in one validating
 * pass (and walks nested objects of an accepted document without validating again), and
 * {@link dev.sluice.wire.body.FieldEdits} turns a plan (drop these, set those) into
 * {@link dev.sluice.pipeline.RequestBody} edits, so every byte the plan does not name passes as the client sent it.
 *
 * <p>A sub-package rather than {@code wire} itself because {@code wire} is the leaf every stage shares and depends on
 * no other Sluice package, while these edit a {@link dev.sluice.pipeline.RequestBody} (and {@code pipeline} depends on
 * {@code wire}).
 */
package dev.sluice.wire.body;
