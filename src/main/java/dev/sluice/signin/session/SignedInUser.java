package dev.sluice.signin.session;

import dev.sluice.pipeline.Identity;
import java.util.List;
import java.util.Map;

/**
 * A developer the IdP vouched for, placed in the identity model: a user of the identity store (its id
 * is the lower-cased email), in a team and org, with the groups the IdP listed.
 *
 * @param userId identity-store user id
 * @param email  the address the IdP gave (shown to the CLI as the account that approved the code)
 * @param groups IdP groups, as listed at sign-in
 * @param teamId team in the identity store
 * @param orgId  the team's org
 * @param tags   the user's tags from the identity store, carried on every request like a key's
 */
public record SignedInUser(String userId, String email, List<String> groups, String teamId, String orgId,
                           Map<String, String> tags) {
    /** Session ids are scoped under this prefix in the identity's key id, so reports and budgets see one row per developer. */
    public static final String KEY_PREFIX = "sso:";

    public SignedInUser {
        groups = List.copyOf(groups);
        tags = Map.copyOf(tags);
    }

    /** The identity every request of this developer carries, the same shape a virtual key resolves to. */
    public Identity identity() {
        return new Identity(KEY_PREFIX + userId, email, userId, teamId, orgId, tags);
    }
}
