package dev.sluice.provider.openai;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.SettingsCheck;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An OpenAI-protocol upstream's settings ({@code provider: openai}, {@code azure-openai} or {@code openai-compatible}).
 * Keys are API keys (Azure's go as {@code api-key}, the others as a bearer); a compatible server that wants none
 * (Ollama, a local vLLM) takes none.
 *
 * @param apiVersion Azure's {@code api-version}, required there and refused elsewhere
 * @param models     requested model to the name this upstream knows (a Claude name to {@code gpt-4.1}, an Azure
 *                   deployment, an Ollama tag); unmapped names pass as they are
 * @param headers    headers every call carries (OpenRouter's {@code HTTP-Referer} and {@code X-Title}, say)
 * @param reasoning  which models take {@code reasoning_effort} and whether reasoning goes back ({@code reasoning:})
 */
public record OpenAiSettings(URI baseUrl, OpenAiTarget.Flavor flavor, String apiVersion, Map<String, String> models,
                             Map<String, String> headers, OpenAiReasoning reasoning) {
    private static final Pattern API_VERSION = Pattern.compile("[A-Za-z0-9.-]{1,40}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@-]{1,200}");
    private static final Pattern DEPLOYMENT = Pattern.compile("[A-Za-z0-9._:@-]{1,200}");
    private static final Set<String> RESERVED = Set.of("authorization", "api-key", "content-type", "content-length", "host");

    public static OpenAiSettings compile(UpstreamConfig c, OpenAiTarget.Flavor flavor) {
        boolean azure = flavor == OpenAiTarget.Flavor.AZURE;
        SettingsCheck.onlyFields(c, azure ? List.of("api-version", "models", "headers", "reasoning")
                : List.of("models", "headers", "reasoning"));
        if (azure) {
            SettingsCheck.require(c.apiVersion() != null && API_VERSION.matcher(c.apiVersion()).matches(), "api-version",
                    c.apiVersion(), "Azure OpenAI's api-version, e.g. 2024-10-21");
            SettingsCheck.require(!c.keys().isEmpty(), "keys", "none", "at least one Azure OpenAI key");
        }
        if (flavor == OpenAiTarget.Flavor.OPENAI) {
            SettingsCheck.require(!c.keys().isEmpty(), "keys", "none", "at least one OpenAI API key");
        }
        Map<String, String> models = azure
                ? SettingsCheck.models(c, DEPLOYMENT, "an Azure deployment name (letters, digits and . _ : @ -)")
                : SettingsCheck.models(c, MODEL, "a model name (letters, digits and . _ : / @ -)");
        return new OpenAiSettings(SettingsCheck.baseUrl(c), flavor, c.apiVersion(), models, SettingsCheck.headers(c, RESERVED),
                OpenAiReasoning.compile(c.reasoning()));
    }

    OpenAiUpstream upstream(String apiKey) {
        return new OpenAiUpstream(baseUrl, flavor, apiKey, apiVersion, headers, models, reasoning);
    }
}
