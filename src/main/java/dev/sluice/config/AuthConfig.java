package dev.sluice.config;

import java.util.List;

/**
 * How callers prove who they are.
 *
 * @param keys static gateway keys accepted as {@code x-api-key} or {@code Authorization: Bearer};
 *             with none, and no issued virtual keys, Sluice runs in open local mode (said loudly at start)
 * @param open allow requests without any key even when keys exist (never for shared deployments)
 */
public record AuthConfig(List<String> keys, Boolean open) {
    public AuthConfig {
        keys = keys == null ? List.of() : List.copyOf(keys);
        open = open == null ? Boolean.FALSE : open;
    }

    public static AuthConfig defaults() {
        return new AuthConfig(null, null);
    }
}
