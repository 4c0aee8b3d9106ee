package dev.sluice.signin.billing;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.pipeline.Identity;
import dev.sluice.pipeline.RequestBody;
import dev.sluice.pipeline.RequestFacts;
import dev.sluice.wire.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The billing group a request names in the Anthropic API's request tags, {@code "tags": {"<name>":
 * "<group>"}}, where {@code <name>} is the configured {@code billing-group-tag}; and the edit that
 * takes {@code tags} out of the body before an upstream that rejects it.
 *
 * <p>Works from the inspection's top-level field spans ({@link RequestFacts#fields()}): reading the
 * group parses only the bytes of the {@code tags} value, and stripping deletes byte ranges of the
 * original body (every {@code tags} member, duplicates included, each with one adjoining comma),
 * so every other byte goes upstream as sent.
 */
public final class BillingGroup {
    /** The beta value that goes with request tags; Bedrock, Mantle and Vertex reject it too. */
    public static final String BETA = "request-tags-2026-08-21";
    /** The identity tag the group is recorded under (ledger records, spend reports as {@code tag:billing_group}, audit). */
    public static final String TAG = "billing_group";
    /** Upstream providers whose APIs reject the top-level {@code tags} field and its beta value. */
    public static final Set<String> REJECTING = Set.of("bedrock", "bedrock-mantle", "mantle", "vertex");
    static final int MAX_TAGS = 32;
    static final int MAX_VALUE = 256;

    private final String tagName;

    public BillingGroup(String tagName) {
        this.tagName = tagName;
    }

    /** The group the request names under the configured tag, or null (no tags, no such tag, not a short string). */
    public String group(RequestBody body, RequestFacts facts) {
        RequestFacts.Field f = tagName == null || facts == null ? null : facts.field("tags");
        if (f == null) {
            return null;
        }
        try (JsonParser p = Json.FACTORY.createParser(body.array(), f.valueStart(), f.valueEnd() - f.valueStart())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String found = null;
            for (int n = 0; p.nextToken() == JsonToken.FIELD_NAME && n < MAX_TAGS; n++) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                if (t == JsonToken.VALUE_STRING && tagName.equals(k) && p.getTextLength() <= MAX_VALUE) {
                    found = p.getText(); // of duplicates the last, as JSON parsers read them
                } else {
                    p.skipChildren();
                }
            }
            return found;
        } catch (IOException e) {
            return null; // inspection already rejected malformed bodies; nothing to read in one
        }
    }

    /** The tag name read under {@code tags}. */
    public String tagName() {
        return tagName;
    }

    /** The identity without its {@link #TAG} tag. */
    public static Identity withoutGroup(Identity who) {
        Map<String, String> rest = new TreeMap<>(who.tags());
        rest.remove(TAG);
        return new Identity(who.keyId(), who.keyAlias(), who.userId(), who.teamId(), who.orgId(), Map.copyOf(rest));
    }

    /** True when the developer belongs to the group (an unlisted group is not recorded). */
    public static boolean accepted(String group, List<String> developerGroups) {
        return group != null && developerGroups.contains(group);
    }

    /** True when the body has a top-level {@code tags} member. */
    public static boolean present(RequestFacts facts) {
        return facts != null && facts.field("tags") != null;
    }

    /**
     * Deletes every top-level {@code tags} member so the body stays valid JSON: a member followed by
     * a kept one goes with the bytes up to that member's key (its comma included); members after the
     * last kept one go together with the comma before them. Returns whether anything was deleted.
     */
    public static boolean strip(RequestBody body, RequestFacts facts) {
        List<RequestFacts.Field> fields = facts.fields();
        int lastKept = -1;
        for (int i = 0; i < fields.size(); i++) {
            if (!fields.get(i).name().equals("tags")) {
                lastKept = i;
            }
        }
        boolean any = false;
        for (int i = 0; i < lastKept; i++) {
            if (fields.get(i).name().equals("tags")) {
                body.delete(fields.get(i).keyStart(), fields.get(i + 1).keyStart(), "request tags are not sent upstream");
                any = true;
            }
        }
        if (lastKept < fields.size() - 1) {
            int from = lastKept < 0 ? fields.getFirst().keyStart() : fields.get(lastKept).valueEnd();
            body.delete(from, fields.getLast().valueEnd(), "request tags are not sent upstream");
            any = true;
        }
        return any;
    }

    /** An {@code anthropic-beta} value without the request-tags beta; null when nothing is left. */
    public static String withoutBeta(String header) {
        if (header == null) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        for (String v : header.split(",")) {
            String t = v.strip();
            if (!t.isEmpty() && !t.equalsIgnoreCase(BETA)) {
                kept.add(t);
            }
        }
        return kept.isEmpty() ? null : String.join(",", kept);
    }
}
