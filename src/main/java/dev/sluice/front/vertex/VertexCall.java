package dev.sluice.front.vertex;

import dev.sluice.wire.ApiError;
import java.util.regex.Pattern;

/**
 * One call on the Vertex door, read from its path:
 * {@code /vertex/v1/projects/{project}/locations/{region}/publishers/anthropic/models/{model}:{method}}.
 *
 * <p>{@link #parse} only finds the shape (it decides which route takes the request, before the caller is known);
 * {@link #check} bounds the values once the request is the door's. Project and region are checked and then
 * ignored: where a request really goes is the gateway's own upstream configuration.
 *
 * @param model  Vertex's model id as the path gives it ({@code claude-sonnet-4-5@20250929}), or {@code count-tokens}
 * @param stream true for {@code :streamRawPredict}
 */
record VertexCall(String project, String region, String model, boolean stream) {
    static final String PREFIX = "/vertex/v1";
    static final String PROJECTS = PREFIX + "/projects";
    static final String COUNT_TOKENS = "count-tokens";
    private static final String LOCATIONS = "/locations/";
    private static final String MODELS = "/publishers/anthropic/models/";
    /**
     * GCP project ids are lower-case letters, digits and hyphens; some older ones have dots, and a domain-scoped one is
     * prefixed by its domain and a colon ({@code example.com:my-project}).
     */
    private static final Pattern PROJECT = Pattern.compile("(?:[a-z0-9][a-z0-9.-]{0,62}:)?[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** {@code global}, the multi-regions {@code us} and {@code eu}, or a region such as {@code us-east5}. */
    private static final Pattern REGION = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** The characters of Vertex's Claude model ids, as the upstream side also allows ({@code provider.vertex.VertexTarget}). */
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._@-]{1,128}");

    /**
     * The call {@code path} names, or null when it is not this door's shape: under {@link #PROJECTS}, Anthropic's
     * publisher, and {@code :rawPredict} or {@code :streamRawPredict}. The model's {@code @}, the method's {@code :} and
     * a domain-scoped project's may come percent-encoded ({@code %40}, {@code %3A}): clients differ in what they escape.
     */
    static VertexCall parse(String path) {
        if (path == null || !path.startsWith(PROJECTS + "/")) {
            return null;
        }
        int projectStart = PROJECTS.length() + 1;
        int locations = path.indexOf(LOCATIONS, projectStart);
        if (locations < 0) {
            return null;
        }
        int regionStart = locations + LOCATIONS.length();
        int models = path.indexOf(MODELS, regionStart);
        if (models < 0) {
            return null;
        }
        String tail = unescape(path.substring(models + MODELS.length()));
        int colon = tail.lastIndexOf(':');
        if (colon < 0) {
            return null;
        }
        String method = tail.substring(colon + 1);
        boolean stream = method.equals("streamRawPredict");
        if (!stream && !method.equals("rawPredict")) {
            return null;
        }
        return new VertexCall(unescape(path.substring(projectStart, locations)), path.substring(regionStart, models),
                tail.substring(0, colon), stream);
    }

    /** True for the count-tokens call ({@code .../models/count-tokens:rawPredict}), whose model is in the body. */
    boolean countTokens() {
        return model.equals(COUNT_TOKENS) && !stream;
    }

    /**
     * Refuses values no Vertex client sends, with the value and what was expected.
     *
     * @throws ApiError 400
     */
    VertexCall check() {
        require(PROJECT, project, "project", "a GCP project id such as my-project");
        require(REGION, region, "location", "a Vertex AI location such as us-east5, europe-west1 or global");
        require(MODEL, model, "model", "a Vertex model id such as claude-sonnet-4-5@20250929");
        if (model.equals(COUNT_TOKENS) && stream) {
            throw ApiError.invalidRequest("count-tokens has no :streamRawPredict (expected: .../models/count-tokens:rawPredict)");
        }
        return this;
    }

    private static void require(Pattern pattern, String value, String name, String expected) {
        if (!pattern.matcher(value).matches()) {
            throw ApiError.invalidRequest("path: " + name + " '" + shown(value) + "' is not valid (expected: " + expected + ")");
        }
    }

    /** A caller's value as an error message shows it: cut, and without control characters. */
    static String shown(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String unescape(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        return s.replace("%40", "@").replace("%3A", ":").replace("%3a", ":");
    }
}
