package dev.sluice.provider.openai;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one OpenAI-protocol attempt goes.
 *
 * @param baseUrl      scheme, host, port and path prefix without {@code /v1}: {@code https://api.openai.com},
 *                     {@code https://openrouter.ai/api}, {@code http://127.0.0.1:11434} (Ollama),
 *                     {@code https://acme.openai.azure.com}
 * @param flavor       which dialect: paths, auth header, the name of the output cap
 * @param model        the model id sent (OpenAI, vLLM, Ollama, OpenRouter) or the Azure deployment name
 * @param apiKey       the credential, or null for a local server that wants none
 * @param apiVersion   Azure's {@code api-version} (required for {@link Flavor#AZURE}), else null
 * @param extraHeaders headers every call carries (OpenRouter's {@code HTTP-Referer} and {@code X-Title}, say)
 */
public record OpenAiTarget(URI baseUrl, Flavor flavor, String model, String apiKey, String apiVersion,
                           Map<String, String> extraHeaders) {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@-]{1,200}");

    /** The dialects that differ on the wire. */
    public enum Flavor {
        /** api.openai.com: Bearer key, {@code max_completion_tokens}. */
        OPENAI,
        /** Azure OpenAI: {@code api-key} header, deployment in the path, {@code api-version} query. */
        AZURE,
        /** vLLM, Ollama, OpenRouter, LiteLLM and the like: Bearer key if any, {@code max_tokens}. */
        COMPATIBLE
    }

    public OpenAiTarget {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(flavor, "flavor");
        if (model == null || !SAFE.matcher(model).matches()) {
            throw new IllegalArgumentException("model: '" + model + "' (expected: letters, digits and . _ : / @ -)");
        }
        if (flavor == Flavor.AZURE && model.contains("/")) {
            throw new IllegalArgumentException("model: '" + model + "' (expected: an Azure deployment name, without '/')");
        }
        if (flavor == Flavor.AZURE && (apiVersion == null || !apiVersion.matches("[A-Za-z0-9.-]{1,40}"))) {
            throw new IllegalArgumentException("apiVersion: '" + apiVersion + "' (expected: Azure's api-version, e.g. 2024-10-21)");
        }
        extraHeaders = extraHeaders == null ? Map.of() : Map.copyOf(extraHeaders);
    }

    String pathPrefix() {
        String p = baseUrl.getRawPath();
        if (p == null || p.equals("/")) {
            return "";
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The path and query of an operation ({@code chat/completions}, {@code embeddings}, {@code models}). */
    String path(String operation) {
        if (flavor == Flavor.AZURE) {
            return operation.equals("models")
                    ? pathPrefix() + "/openai/models?api-version=" + apiVersion
                    : pathPrefix() + "/openai/deployments/" + model + "/" + operation + "?api-version=" + apiVersion;
        }
        return pathPrefix() + "/v1/" + operation;
    }

    /** The name of the output cap this dialect takes. */
    String maxTokensField() {
        return flavor == Flavor.COMPATIBLE ? "max_tokens" : "max_completion_tokens";
    }

    @Override
    public String toString() {
        return "OpenAiTarget[" + baseUrl + ", " + flavor + ", " + model + ", key=" + (apiKey == null ? "none" : "<redacted>") + "]";
    }
}
