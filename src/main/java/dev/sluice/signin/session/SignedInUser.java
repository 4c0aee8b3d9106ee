package dev.sluice.signin.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.pipeline.Identity;
import dev.sluice.wire.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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

    /** As stored beside a device grant until the client collects it. */
    public String toJson() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("user_id", userId).put("email", email).put("team_id", teamId)
                .put("org_id", orgId);
        groups.forEach(n.putArray("groups")::add);
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put);
        return n.toString();
    }

    public static SignedInUser fromJson(String json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            List<String> groups = new ArrayList<>();
            n.path("groups").forEach(g -> groups.add(g.asText()));
            Map<String, String> tags = new TreeMap<>();
            n.path("tags").properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
            return new SignedInUser(n.path("user_id").asText(), n.path("email").asText(), groups, n.path("team_id").asText(),
                    n.path("org_id").asText(), tags);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored signed-in user is not valid JSON", e);
        }
    }

    /** The identity every request of this developer carries, the same shape a virtual key resolves to. */
    public Identity identity() {
        return new Identity(KEY_PREFIX + userId, email, userId, teamId, orgId, tags);
    }
}
