/**
 * The Bedrock front door ({@link dev.sluice.front.bedrock.BedrockDoor}): Bedrock's runtime API under {@code /bedrock}
 * for Claude Code in its Bedrock mode and the Bedrock SDKs. Invoke bodies are translated to canonical Messages bodies
 * by edits ({@link dev.sluice.front.bedrock.InvokeRequest}, model from the path by
 * {@link dev.sluice.front.bedrock.ModelPath}); answers are encoded back as Bedrock's JSON and binary event stream
 * ({@link dev.sluice.front.bedrock.BedrockEncoder}, {@link dev.sluice.front.bedrock.EventStreamFrames}), errors in its
 * envelope ({@link dev.sluice.front.bedrock.AwsErrors}), model lists as inference profiles
 * ({@link dev.sluice.front.bedrock.Listings}).
 */
package dev.sluice.front.bedrock;
