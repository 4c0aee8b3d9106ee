package dev.sluice.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** Lifetime of a prompt-cache entry, as written in {@code cache_control.ttl}. */
enum CacheTtl {
    FIVE_MINUTES("5m", Duration.ofMinutes(5)),
    ONE_HOUR("1h", Duration.ofHours(1));

    private final String wireName;
    private final Duration duration;

    CacheTtl(String wireName, Duration duration) {
        this.wireName = wireName;
        this.duration = duration;
    }

    Duration duration() {
        return duration;
    }

    CacheTtl longer(CacheTtl other) {
        return duration.compareTo(other.duration) >= 0 ? this : other;
    }

    /**
     * The breakpoint a block's {@code cache_control} declares, or null when it has none.
     *
     * @param where path of the block in the request, used in error messages
     */
    static CacheTtl ofCacheControl(JsonNode cacheControl, String where) {
        if (cacheControl == null || cacheControl.isNull()) {
            return null;
        }
        if (!cacheControl.isObject()) {
            throw ApiException.invalidRequest(where + ".cache_control: expected an object, got " + cacheControl);
        }
        String type = cacheControl.path("type").asText("");
        if (!type.equals("ephemeral")) {
            throw ApiException.invalidRequest(
                    where + ".cache_control.type: '" + type + "' (expected: 'ephemeral')");
        }
        JsonNode ttl = cacheControl.get("ttl");
        if (ttl == null || ttl.isNull()) {
            return FIVE_MINUTES;
        }
        for (CacheTtl candidate : values()) {
            if (candidate.wireName.equals(ttl.asText())) {
                return candidate;
            }
        }
        throw ApiException.invalidRequest(where + ".cache_control.ttl: " + ttl + " (expected: '5m' or '1h')");
    }
}
