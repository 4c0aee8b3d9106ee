package dev.sluice.provider.bedrock;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.SettingsCheck;
import dev.sluice.upstream.UpstreamKey;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Bedrock upstream's settings. Keys are used one of two ways ({@code auth}):
 * <ul>
 *   <li>{@code api-key} (default): each key's value is a Bedrock API key, sent as {@code Authorization: Bearer};</li>
 *   <li>{@code sigv4}: each key's value is {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY}, or
 *       {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN} for temporary credentials (none of the three
 *       contains a colon), and requests are SigV4-signed ({@link SigV4}).</li>
 * </ul>
 *
 * @param profile inference-profile prefix put before mapped model ids, or null for bare foundation-model ids
 * @param models  requested model to a Bedrock model id, inference profile id or ARN
 */
public record BedrockSettings(URI baseUrl, String region, String profile, boolean sigv4, Map<String, String> models) {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final List<String> PROFILES = List.of("us", "eu", "apac", "global", "us-gov", "jp", "au", "ca");
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@-]{1,300}");

    public static BedrockSettings compile(UpstreamConfig c) {
        SettingsCheck.onlyFields(c, List.of("region", "inference-profile", "auth", "models"));
        SettingsCheck.require(c.region() != null && REGION.matcher(c.region()).matches(), "region", c.region(),
                "an AWS region such as us-east-1 (it signs the requests and, without base-url, picks the endpoint)");
        SettingsCheck.require(c.inferenceProfile() == null || PROFILES.contains(c.inferenceProfile()), "inference-profile",
                c.inferenceProfile(), "one of " + PROFILES + ", or none for bare model ids");
        String auth = c.auth() == null ? "api-key" : c.auth();
        SettingsCheck.require(auth.equals("api-key") || auth.equals("sigv4"), "auth", c.auth(), "api-key or sigv4");
        boolean sigv4 = auth.equals("sigv4");
        SettingsCheck.require(!c.keys().isEmpty(), "keys", "none", sigv4
                ? "at least one key whose value is ACCESS_KEY_ID:SECRET_ACCESS_KEY[:SESSION_TOKEN]" : "at least one Bedrock API key");
        for (int i = 0; i < c.keys().size(); i++) {
            if (sigv4) {
                String[] parts = c.keys().get(i).value().split(":", -1);
                SettingsCheck.require((parts.length == 2 || parts.length == 3) && !parts[0].isBlank() && !parts[1].isBlank(),
                        "keys[" + i + "].value", "<redacted>", "ACCESS_KEY_ID:SECRET_ACCESS_KEY or ACCESS_KEY_ID:SECRET_ACCESS_KEY:SESSION_TOKEN");
            }
        }
        return new BedrockSettings(SettingsCheck.baseUrl(c), c.region(), c.inferenceProfile(), sigv4,
                SettingsCheck.models(c, MODEL, "a Bedrock model id, inference profile id or ARN"));
    }

    /** The credential for one attempt's key. */
    BedrockAuth auth(UpstreamKey key) {
        if (!sigv4) {
            return new BedrockAuth.ApiKey(key.value());
        }
        String[] parts = key.value().split(":", -1);
        return new BedrockAuth.SigV4(parts[0], parts[1], parts.length == 3 ? parts[2] : null);
    }

    /** The model to ask Bedrock for: the operator's mapping, else the requested name (mapped to Bedrock's id later). */
    String model(String requested) {
        return requested == null ? null : models.getOrDefault(requested, requested);
    }
}
