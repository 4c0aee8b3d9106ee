package dev.sluice.pipeline;

import dev.sluice.wire.ApiError;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who is calling: the key and its owners, resolved by the authenticate stage.
 *
 * @param keyId    stable id of the gateway key (never the key itself)
 * @param keyAlias human name of the key
 * @param userId   owning user, or null
 * @param teamId   owning team, or null
 * @param orgId    owning organization, or null
 * @param tags     tags of the key merged with those the request added (the key's win: see {@link #withRequestTags})
 */
public record Identity(String keyId, String keyAlias, String userId, String teamId, String orgId,
                       Map<String, String> tags) {
    /** The caller in open local mode, where no key is required. */
    public static final Identity OPEN = new Identity("open", "open", null, null, null, Map.of());

    /** True for the open-mode caller, whose own upstream credential may be passed through. */
    public boolean isOpen() {
        return this == OPEN || "open".equals(keyId);
    }

    /** Tag names only the gateway sets (sign-in's billing group): a request cannot name them. */
    public static final Set<String> RESERVED_TAGS = java.util.Set.of("billing_group");

    /**
     * Adds the tags a request asked for, under the ones an administrator set on the key or its user. Budgets and
     * chargeback are keyed by tags, so a caller who could restate {@code repo=payments} as {@code repo=other}
     * would leave its budget and bill someone else: a request tag that contradicts the key's is refused, one that
     * repeats it is fine, and a reserved name is refused.
     */
    public Identity withRequestTags(Map<String, String> requested) {
        for (Map.Entry<String, String> t : requested.entrySet()) {
            if (RESERVED_TAGS.contains(t.getKey())) {
                throw ApiError.invalidRequest("x-sluice-tag-" + t.getKey()
                        + ": this tag is set by the gateway, not by requests");
            }
            String fixed = tags.get(t.getKey());
            if (fixed != null && !fixed.equals(t.getValue())) {
                throw ApiError.invalidRequest("x-sluice-tag-" + t.getKey() + ": this key's tag "
                        + t.getKey() + " is set by its administrator and cannot be changed per request");
            }
        }
        return withTags(requested);
    }

    /** Adds tags the gateway itself decided (sign-in's billing group); they replace any of the same name. */
    public Identity withTags(Map<String, String> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, String> merged = new TreeMap<>(tags);
        merged.putAll(more);
        return new Identity(keyId, keyAlias, userId, teamId, orgId, Map.copyOf(merged));
    }

    @Override
    public String toString() {
        return "Identity[key=" + keyAlias + ", user=" + userId + ", team=" + teamId + ", org=" + orgId + ", tags=" + tags + "]";
    }
}
