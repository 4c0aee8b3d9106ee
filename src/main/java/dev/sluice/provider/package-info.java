/**
 * Provider adapters, one package per upstream wire, each an {@link dev.sluice.upstream.UpstreamProtocol}
 * registered by name in {@link dev.sluice.provider.Providers}: {@code anthropic} and Microsoft {@code foundry}
 * (the canonical wire), {@code bedrock}, {@code vertex}, and {@code openai} / {@code azure-openai} /
 * {@code openai-compatible} (translated to chat completions). Each upstream's provider-specific settings
 * (region, auth, project, credentials, api-version, model map, headers) are checked and compiled with the
 * configuration ({@link dev.sluice.provider.ProviderSettings}); the model catalog answers {@code /v1/models} for
 * upstreams that have no listing of their own ({@code dev.sluice.provider.catalog}).
 */
package dev.sluice.provider;
