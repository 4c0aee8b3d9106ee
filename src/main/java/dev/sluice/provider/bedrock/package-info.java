/**
 * AWS Bedrock (Claude) as an upstream ({@link dev.sluice.provider.bedrock.BedrockProtocol}, settings in
 * {@link dev.sluice.provider.bedrock.BedrockSettings}: region, inference profile, API-key or SigV4 keys, model map):
 * the request direction ({@link dev.sluice.provider.bedrock.BedrockRequests}:
 * InvokeModel / InvokeModelWithResponseStream / CountTokens paths, the body adapted by byte-range edits in
 * {@link dev.sluice.provider.bedrock.BedrockBody}, SigV4 ({@link dev.sluice.provider.bedrock.SigV4}, held to the AWS
 * SDK's signer by its tests) or a Bedrock API key) and the
 * answer direction ({@link dev.sluice.provider.bedrock.BedrockDecoder}: the binary event stream cut into frames by
 * {@link dev.sluice.provider.bedrock.EventStreamFrames}, each frame's declared length bounded before any of it is
 * held, checked and decoded by the SDK's codec into canonical Anthropic SSE, errors mapped and scrubbed of account
 * details).
 * The body's top-level fields are found and edited with {@code wire.body}'s
 * {@link dev.sluice.wire.body.TopLevelFields} and {@link dev.sluice.wire.body.FieldEdits}, the {@code anthropic_beta}
 * values bounded by {@link dev.sluice.wire.Betas}, and model ids mapped by
 * {@link dev.sluice.provider.catalog.ClaudeModelIds}.
 */
package dev.sluice.provider.bedrock;
