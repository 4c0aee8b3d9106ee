package dev.sluice.pipeline;

import java.util.Map;

/**
 * Who is calling: the key and its owners, resolved by the authenticate stage.
 *
 * @param keyId    stable id of the gateway key (never the key itself)
 * @param keyAlias human name of the key
 * @param userId   owning user, or null
 * @param teamId   owning team, or null
 * @param orgId    owning organization, or null
 * @param tags     tags of the key merged with those the request added
 */
public record Identity(String keyId, String keyAlias, String userId, String teamId, String orgId,
                       Map<String, String> tags) {
    /** The caller in open local mode, where no key is required. */
    public static final Identity OPEN = new Identity("open", "open", null, null, null, Map.of());

    /** True for the open-mode caller, whose own upstream credential may be passed through. */
    public boolean isOpen() {
        return this == OPEN || "open".equals(keyId);
    }

    public Identity withTags(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        java.util.Map<String, String> merged = new java.util.TreeMap<>(tags);
        merged.putAll(more);
        return new Identity(keyId, keyAlias, userId, teamId, orgId, Map.copyOf(merged));
    }

    @Override
    public String toString() {
        return "Identity[key=" + keyAlias + ", user=" + userId + ", team=" + teamId + ", org=" + orgId + ", tags=" + tags + "]";
    }
}
