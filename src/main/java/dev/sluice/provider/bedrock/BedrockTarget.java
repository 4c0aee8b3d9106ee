package dev.sluice.provider.bedrock;

import java.net.URI;
import java.util.Objects;

/**
 * Where one Bedrock attempt goes.
 *
 * @param baseUrl scheme, host, optional port and path prefix, e.g. {@code https://bedrock-runtime.us-east-1.amazonaws.com}
 * @param region  signing region, e.g. {@code us-east-1}
 * @param modelId Bedrock's model id (see {@link dev.sluice.provider.catalog.ClaudeModelIds#bedrock}), an inference profile id or an ARN
 * @param auth    the credential
 */
public record BedrockTarget(URI baseUrl, String region, String modelId, BedrockAuth auth) {
    public BedrockTarget {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(modelId, "modelId");
        Objects.requireNonNull(auth, "auth");
        if (baseUrl.getHost() == null) {
            throw new IllegalArgumentException("baseUrl: " + baseUrl + " (expected: an absolute http(s) URL)");
        }
    }

    /** Bedrock's public runtime endpoint for a region. */
    public static URI regionalEndpoint(String region) {
        return URI.create("https://bedrock-runtime." + region + ".amazonaws.com");
    }

    /** The base URL's path prefix without a trailing slash ("" for none). */
    String pathPrefix() {
        String p = baseUrl.getRawPath();
        if (p == null || p.equals("/")) {
            return "";
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
