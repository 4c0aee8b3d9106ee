package dev.sluice.provider.anthropic;

import dev.sluice.config.UpstreamConfig;
import dev.sluice.provider.SettingsCheck;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Anthropic-wire upstream's settings: the API itself, or Claude on Microsoft Foundry, whose wire differs only
 * in its base path ({@code https://{resource}.services.ai.azure.com/anthropic}) and auth (its API key as
 * {@code x-api-key}, or a Microsoft Entra ID token as {@code Authorization: Bearer} with {@code auth: entra}).
 *
 * @param bearer  send the key as {@code Authorization: Bearer} instead of {@code x-api-key}
 * @param models  requested model to the name this upstream knows (a Foundry deployment, say)
 * @param headers headers every call carries
 */
public record AnthropicSettings(boolean bearer, Map<String, String> models, Map<String, String> headers) {
    static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:@/-]{1,200}");
    private static final Set<String> RESERVED = Set.of("x-api-key", "authorization", "api-key", "content-length", "host");

    public static AnthropicSettings compile(UpstreamConfig c) {
        boolean foundry = c.provider().equals(AnthropicUpstream.FOUNDRY.name());
        SettingsCheck.onlyFields(c, foundry ? List.of("auth", "models", "headers") : List.of("models", "headers"));
        String auth = c.auth() == null ? "api-key" : c.auth();
        SettingsCheck.require(auth.equals("api-key") || auth.equals("entra"), "auth", c.auth(),
                "api-key (the Foundry key as x-api-key) or entra (each key is a Microsoft Entra ID access token)");
        if (foundry) {
            SettingsCheck.require(!c.keys().isEmpty(), "keys", "none", "at least one Foundry API key or Entra ID token");
        }
        return new AnthropicSettings(auth.equals("entra"),
                SettingsCheck.models(c, MODEL, "a model or deployment name (letters, digits and . _ : @ / -)"),
                SettingsCheck.headers(c, RESERVED));
    }

    public String model(String requested) {
        return requested == null ? null : models.getOrDefault(requested, requested);
    }
}
