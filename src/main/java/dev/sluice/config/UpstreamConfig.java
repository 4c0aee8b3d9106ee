package dev.sluice.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One upstream provider endpoint. The fields after {@code maxConnections} belong to some providers only
 * (each provider checks its own when the configuration is applied; see {@code dev.sluice.provider.ProviderSettings}).
 *
 * @param name             how routes refer to it
 * @param provider         wire protocol of the upstream: {@code anthropic}, {@code bedrock}, {@code vertex},
 *                         {@code openai}, {@code azure-openai}, {@code openai-compatible}, {@code foundry}
 * @param baseUrl          scheme, host and optional port (and path prefix) of the upstream API; Bedrock and
 *                         Vertex default to their public endpoint for {@code region}
 * @param keys             upstream credentials; several spread load and keep prompt caches warm per key.
 *                         With none, the caller's own credential is passed through (open mode only)
 * @param maxConnections   pooled keep-alive connections per event loop
 * @param region           Bedrock's AWS region, Vertex's location ({@code global} included)
 * @param inferenceProfile Bedrock: the inference-profile prefix put before model ids ({@code us}, {@code eu}...)
 * @param auth             how the keys are used: Bedrock {@code api-key} or {@code sigv4}, Foundry {@code api-key}
 *                         or {@code entra}
 * @param project          Vertex: the GCP project
 * @param credentialsFile  Vertex: a Google credentials file (service account) for OAuth tokens
 * @param apiVersion       Azure OpenAI's {@code api-version}
 * @param models           requested model name to the name this upstream knows (Bedrock id or ARN, Vertex id,
 *                         Azure deployment, an OpenAI model)
 * @param headers          headers every call to this upstream carries (OpenRouter's {@code HTTP-Referer}, say)
 * @param caFile           a PEM file of the certificate authorities to trust for this upstream instead of the
 *                         system's (a self-hosted server behind an internal CA); https only
 * @param reasoning        OpenAI-protocol upstreams: which of its models reason, and whether their reasoning goes back
 */
public record UpstreamConfig(String name, String provider, String baseUrl, List<UpstreamKey> keys, Integer maxConnections,
                             String region, String inferenceProfile, String auth, String project, String credentialsFile,
                             String apiVersion, Map<String, String> models, Map<String, String> headers, String caFile,
                             Reasoning reasoning) {
    public UpstreamConfig {
        provider = provider == null ? "anthropic" : provider;
        keys = keys == null ? List.of() : keys.stream().filter(k -> k.value() != null && !k.value().isBlank()).toList();
        maxConnections = maxConnections == null ? 256 : maxConnections;
        models = models == null ? Map.of() : Map.copyOf(models);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        if (baseUrl == null && region != null && !region.isBlank()) {
            baseUrl = regionalEndpoint(provider, region.strip().toLowerCase(Locale.ROOT));
        }
    }

    public UpstreamConfig(String name, String provider, String baseUrl, List<UpstreamKey> keys, Integer maxConnections) {
        this(name, provider, baseUrl, keys, maxConnections, null, null, null, null, null, null, null, null, null, null);
    }

    /** The cloud's public endpoint for a region, or null when the provider has none (its base-url is required). */
    private static String regionalEndpoint(String provider, String region) {
        if (!region.matches("[a-z0-9-]{1,40}")) {
            return null; // the provider's check names the bad region
        }
        return switch (provider) {
            case "bedrock" -> "https://bedrock-runtime." + region + ".amazonaws.com";
            case "vertex" -> region.equals("global") ? "https://aiplatform.googleapis.com"
                    : "https://" + region + "-aiplatform.googleapis.com";
            default -> null;
        };
    }

    /** Header values can be credentials of their own (a proxy's token): only their names are shown. */
    @Override
    public String toString() {
        return "UpstreamConfig[name=" + name + ", provider=" + provider + ", baseUrl=" + baseUrl + ", keys=" + keys
                + ", maxConnections=" + maxConnections + ", region=" + region + ", inferenceProfile=" + inferenceProfile
                + ", auth=" + auth + ", project=" + project + ", credentialsFile=" + credentialsFile + ", apiVersion=" + apiVersion
                + ", models=" + models + ", headers=" + headers.keySet() + ", caFile=" + caFile + ", reasoning=" + reasoning + "]";
    }

    static UpstreamConfig anthropicDefault() {
        String key = System.getenv("ANTHROPIC_API_KEY");
        List<UpstreamKey> keys = key == null || key.isBlank() ? List.of() : List.of(new UpstreamKey("env", key));
        return new UpstreamConfig("anthropic", "anthropic", "https://api.anthropic.com", keys, null);
    }

    /**
     * An OpenAI-protocol upstream's reasoning models ({@code reasoning: {models: [...], send-back: true}}); checked by the
     * provider ({@code provider.openai.OpenAiReasoning}).
     *
     * @param models   globs of the model names the upstream is sent (after {@code models:}) that take
     *                 {@code reasoning_effort}: an Anthropic client's {@code thinking} goes to them as one; none by default
     * @param sendBack reasoning text of earlier turns goes back as the assistant message's {@code reasoning_content}
     *                 (DeepSeek's thinking mode refuses a tool loop without it); off by default
     */
    public record Reasoning(List<String> models, Boolean sendBack) {
        /** As written in the file: an error naming the key shows what the operator wrote, not a record. */
        @Override
        public String toString() {
            return "{models: " + models + (sendBack == null ? "" : ", send-back: " + sendBack) + "}";
        }
    }

    /** An upstream credential; only the alias is ever logged, recorded or returned. */
    public record UpstreamKey(String alias, String value) {
        @Override
        public String toString() {
            return "UpstreamKey[alias=" + alias + ", value=<redacted>]";
        }
    }
}
