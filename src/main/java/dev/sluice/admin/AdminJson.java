package dev.sluice.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.identity.IssuedKey;
import dev.sluice.identity.KeySecret;
import dev.sluice.identity.Org;
import dev.sluice.identity.Team;
import dev.sluice.identity.User;
import dev.sluice.identity.VirtualKey;
import dev.sluice.record.SpendQuery;
import dev.sluice.record.SpendRow;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How the admin API shows things. Field names are snake_case like Anthropic's API; times are ISO-8601 UTC;
 * money is a JSON number of USD. A key is shown by its display prefix only; its secret appears in exactly one
 * answer, the one that issued it.
 */
final class AdminJson {
    static final String SHOWN_ONCE = "Store this key now: Sluice keeps only its SHA-256 digest and cannot show it again.";

    private AdminJson() {
    }

    static String write(JsonNode node) {
        try {
            return JsonBody.MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("admin JSON: cannot encode", e);
        }
    }

    /** {@code {"data":[...]}}. */
    static <T> ObjectNode list(List<T> items, Function<T, ObjectNode> each) {
        ObjectNode out = object();
        ArrayNode data = out.putArray("data");
        items.forEach(i -> data.add(each.apply(i)));
        return out;
    }

    static ObjectNode org(Org o) {
        ObjectNode n = object().put("id", o.id()).put("name", o.name()).put("disabled", o.disabled());
        return time(n, "created_at", o.createdAt());
    }

    static ObjectNode team(Team t) {
        ObjectNode n = object().put("id", t.id()).put("org_id", t.orgId()).put("name", t.name()).put("disabled", t.disabled());
        return time(n, "created_at", t.createdAt());
    }

    static ObjectNode user(User u) {
        ObjectNode n = object().put("id", u.id()).put("team_id", u.teamId()).put("name", u.name()).put("email", u.email());
        tags(n, u.tags());
        n.put("monthly_cap_usd", u.monthlyCapUsd()).put("disabled", u.disabled());
        return time(n, "created_at", u.createdAt());
    }

    static ObjectNode key(VirtualKey k, Instant now) {
        ObjectNode n = object().put("id", k.id()).put("alias", k.alias()).put("user_id", k.userId())
                .put("prefix", k.prefix()).put("status", k.status(now).label());
        tags(n, k.tags());
        n.put("monthly_cap_usd", k.monthlyCapUsd());
        n.put("lifetime_seconds", k.lifetime() == null ? null : k.lifetime().toSeconds());
        time(n, "created_at", k.createdAt());
        time(n, "expires_at", k.expiresAt());
        time(n, "revoked_at", k.revokedAt());
        ArrayNode secrets = n.putArray("secrets");
        for (KeySecret s : k.secrets()) {
            ObjectNode sn = secrets.addObject().put("prefix", s.prefix());
            time(sn, "created_at", s.createdAt());
            time(sn, "retires_at", s.retiresAt());
        }
        return n;
    }

    /** The one answer that carries a key's secret, with the warning that it will not be shown again. */
    static ObjectNode issued(IssuedKey issued, Instant now) {
        ObjectNode n = object().put("id", issued.key().id()).put("key", issued.secret()).put("warning", SHOWN_ONCE);
        n.setAll(key(issued.key(), now));
        return n;
    }

    static ObjectNode spend(SpendQuery q, List<SpendRow> rows) {
        ObjectNode out = object();
        ArrayNode by = out.putArray("by");
        q.groupBy().forEach(by::add);
        time(out, "since", q.since());
        time(out, "until", q.until());
        ObjectNode where = out.putObject("where");
        q.filters().forEach(where::put);
        ArrayNode data = out.putArray("data");
        for (SpendRow r : rows) {
            ObjectNode row = data.addObject();
            ObjectNode group = row.putObject("group");
            r.group().forEach(group::put);
            row.put("requests", r.requests()).put("input_tokens", r.inputTokens()).put("output_tokens", r.outputTokens())
                    .put("cache_write_5m_tokens", r.cacheWrite5mTokens()).put("cache_write_1h_tokens", r.cacheWrite1hTokens())
                    .put("cache_read_tokens", r.cacheReadTokens()).put("web_search_requests", r.webSearchRequests())
                    .put("web_fetch_requests", r.webFetchRequests()).put("cost_usd", usd(r.costUsd()))
                    .put("provider_cache_savings_usd", usd(r.providerCacheSavingsUsd()))
                    .put("gateway_cache_savings_usd", usd(r.gatewayCacheSavingsUsd()))
                    .put("estimated_requests", r.estimatedRequests()).put("error_requests", r.errorRequests());
        }
        return out;
    }

    private static BigDecimal usd(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static void tags(ObjectNode n, Map<String, String> tags) {
        ObjectNode t = n.putObject("tags");
        tags.forEach(t::put);
    }

    private static ObjectNode time(ObjectNode n, String field, Instant t) {
        return n.put(field, t == null ? null : t.toString());
    }

    private static ObjectNode object() {
        return JsonBody.MAPPER.createObjectNode();
    }
}
