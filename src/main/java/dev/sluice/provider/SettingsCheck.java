package dev.sluice.provider;

import dev.sluice.config.UpstreamConfig;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks for one upstream's provider-specific fields. Every failure is an {@link IllegalArgumentException}
 * whose message names the key, shows the bad value and says what was expected; {@link ProviderSettings} adds
 * which upstream it was.
 */
public final class SettingsCheck {
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");

    private SettingsCheck() {
    }

    public static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": '" + value + "' (expected: " + expected + ")");
        }
    }

    /**
     * Refuses the provider-specific fields {@code provider} has no use for, so a misplaced key is not silently ignored.
     * The first one found is the error, with the fields the provider takes in the order {@code allowed} lists them: the
     * same file gives the same message every time (a {@code Set.of} named them in a different order in each process,
     * so a gateway's refused reload and {@code sluice config check} read as two different errors).
     */
    public static void onlyFields(UpstreamConfig c, List<String> allowed) {
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("region", c.region());
        set.put("inference-profile", c.inferenceProfile());
        set.put("auth", c.auth());
        set.put("project", c.project());
        set.put("credentials-file", c.credentialsFile());
        set.put("api-version", c.apiVersion());
        set.put("models", c.models().isEmpty() ? null : c.models());
        set.put("headers", c.headers().isEmpty() ? null : c.headers());
        set.put("reasoning", c.reasoning());
        set.forEach((key, value) -> require(value == null || allowed.contains(key), key, value,
                "no " + key + " for provider " + c.provider() + " (it takes " + (allowed.isEmpty() ? "none of these" : allowed) + ")"));
    }

    /** The base URL as a URI (the generic validation has checked it is http(s)). */
    public static URI baseUrl(UpstreamConfig c) {
        require(c.baseUrl() != null, "base-url", null, "an http:// or https:// URL, or a valid region");
        return URI.create(c.baseUrl());
    }

    /** Model map values: names the upstream knows; nothing that could break out of a path segment or a JSON string. */
    public static Map<String, String> models(UpstreamConfig c, Pattern allowedName, String expected) {
        for (Map.Entry<String, String> m : c.models().entrySet()) {
            require(m.getKey() != null && !m.getKey().isBlank(), "models", m.getKey(), "a requested model name as each key");
            require(m.getValue() != null && allowedName.matcher(m.getValue()).matches(), "models." + m.getKey(), m.getValue(), expected);
        }
        return c.models();
    }

    /** Extra headers: valid names and values, and never a credential the adapter sets itself. */
    public static Map<String, String> headers(UpstreamConfig c, Set<String> reserved) {
        for (Map.Entry<String, String> h : c.headers().entrySet()) {
            require(HEADER_NAME.matcher(h.getKey()).matches(), "headers", h.getKey(), "a header name (letters, digits, -)");
            require(!reserved.contains(h.getKey().toLowerCase(java.util.Locale.ROOT)), "headers." + h.getKey(), "<set>",
                    "not one of " + reserved + ", which the gateway sets itself");
            String v = h.getValue();
            require(v != null && v.length() <= 1000 && v.chars().noneMatch(ch -> ch < 0x20 && ch != '\t' || ch == 0x7f),
                    "headers." + h.getKey(), v, "a header value without control characters, at most 1000 characters");
        }
        return c.headers();
    }
}
