package dev.sluice.provider.vertex;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where one Vertex AI attempt goes.
 *
 * @param baseUrl scheme, host, port and optional path prefix; {@link #endpoint(String)} gives Google's
 * @param project GCP project id
 * @param region  location, e.g. {@code us-east5}, {@code europe-west1}, or {@code global}
 * @param model   Vertex's model id, e.g. {@code claude-sonnet-4-5@20250929}
 */
public record VertexTarget(URI baseUrl, String project, String region, String model) {
    /** Project ids, regions and model ids go into the path: only their documented characters are allowed. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    public VertexTarget {
        Objects.requireNonNull(baseUrl, "baseUrl");
        check("project", project);
        check("region", region);
        check("model", model);
    }

    private static void check(String name, String value) {
        if (value == null || !SAFE.matcher(value).matches()) {
            throw new IllegalArgumentException(name + ": '" + value + "' (expected: letters, digits, . _ @ -)");
        }
    }

    /** Google's endpoint for a region: {@code https://{region}-aiplatform.googleapis.com}, or the global one. */
    public static URI endpoint(String region) {
        return URI.create(region.equals("global") ? "https://aiplatform.googleapis.com"
                : "https://" + region + "-aiplatform.googleapis.com");
    }

    String pathPrefix() {
        String p = baseUrl.getRawPath();
        if (p == null || p.equals("/")) {
            return "";
        }
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code /v1/projects/{p}/locations/{r}/publishers/anthropic/models/{name}:{method}} under the prefix. */
    String path(String modelName, String method) {
        return pathPrefix() + "/v1/projects/" + project + "/locations/" + region + "/publishers/anthropic/models/"
                + modelName + ":" + method;
    }
}
