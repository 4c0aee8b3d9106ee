package dev.sluice.provider.vertex;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.SettingsCheck;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * A Vertex AI upstream's settings: project, location ({@code global} or a region) and how the gateway gets its
 * OAuth2 token, either
 * <ul>
 *   <li>{@code credentials-file}: a Google credentials file (a service account's key); Google's auth library
 *       exchanges it for access tokens at its {@code token_uri}, refreshed off the event loop; or</li>
 *   <li>{@code keys}: access tokens given as they are (short-lived: refreshing them is the operator's business).</li>
 * </ul>
 * Token sources live outside configuration snapshots, keyed by the file's path and contents, so a reload that
 * leaves the credentials alone keeps the current token (and its refresh schedule).
 *
 * @param credentials the service-account token source, or null when tokens come as keys
 * @param models      requested model to Vertex's model id ({@code claude-sonnet-4-5@20250929})
 */
public record VertexSettings(URI baseUrl, String project, String region, VertexTokens credentials, Map<String, String> models) {
    private static final Pattern PROJECT = Pattern.compile("[a-z][a-z0-9-]{4,61}[a-z0-9]|[A-Za-z0-9._-]{1,128}");
    private static final Pattern REGION = Pattern.compile("global|[a-z]+-[a-z]+\\d{1,2}");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._@-]{1,128}");
    private static final long MAX_CREDENTIALS_BYTES = 64 * 1024;
    private static final Map<String, VertexTokens> SOURCES = new ConcurrentHashMap<>();

    public static VertexSettings compile(UpstreamConfig c) {
        SettingsCheck.onlyFields(c, List.of("region", "project", "credentials-file", "models"));
        SettingsCheck.require(c.project() != null && PROJECT.matcher(c.project()).matches(), "project", c.project(),
                "a GCP project id");
        SettingsCheck.require(c.region() != null && REGION.matcher(c.region()).matches(), "region", c.region(),
                "a Vertex AI location such as us-east5, europe-west1, or global");
        SettingsCheck.require(c.credentialsFile() != null ^ !c.keys().isEmpty(), "credentials-file", c.credentialsFile(),
                "either a Google credentials file (service account) or keys holding access tokens, not both and not neither");
        VertexTokens source = c.credentialsFile() == null ? null : source(c.credentialsFile());
        return new VertexSettings(SettingsCheck.baseUrl(c), c.project(), c.region(), source,
                SettingsCheck.models(c, MODEL, "a Vertex model id such as claude-sonnet-4-5@20250929"));
    }

    private static VertexTokens source(String file) {
        Path path = Path.of(file);
        byte[] json;
        try {
            SettingsCheck.require(Files.isRegularFile(path) && Files.size(path) <= MAX_CREDENTIALS_BYTES, "credentials-file", file,
                    "a readable Google credentials JSON file of at most 64 KB");
            json = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new IllegalArgumentException("credentials-file: '" + file + "' (expected: a readable file; " + e.getMessage() + ")");
        }
        String key = path.toAbsolutePath().normalize() + "#" + sha256(json);
        try {
            return SOURCES.computeIfAbsent(key, k -> VertexTokens.ofCredentialsJson(json, Clock.systemUTC()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("credentials-file: '" + file + "' (expected: a Google credentials file such as a"
                    + " service account's JSON key; the auth library said: " + e.getMessage() + ")");
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    String model(String requested) {
        return requested == null ? null : models.getOrDefault(requested, requested);
    }
}
